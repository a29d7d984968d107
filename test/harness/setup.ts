/**
 * jest `setupFiles` entry: every test file gets its own fresh N8N_USER_FOLDER
 * (binary data in filesystem mode, n8n's config file with the encryption key).
 */
import { ensureHarnessEnv, useFreshUserFolder } from './env';

useFreshUserFolder();
ensureHarnessEnv();
