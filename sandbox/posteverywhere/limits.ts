// §6.1 size limits in "MB" (which MB is a switch: binaryMegabytes).
export const MEGA = { binary: 1024 * 1024, decimal: 1_000_000 };
export const UPLOAD_LIMITS = { image: 20, document: 20, video: 500 } as const;
/** §6.2 upload-from-url: images ≤ 25 MB; MP4 ≤ 4 GB (newer clients) */
export const URL_IMPORT_LIMITS = { image: 25, video: 4096 } as const;
