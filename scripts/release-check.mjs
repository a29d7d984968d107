#!/usr/bin/env node
// Checks of the release workflow (.github/workflows/release.yml), runnable anywhere:
//
//   node scripts/release-check.mjs version <tag>       the tag (v1.2.3 or 1.2.3) must equal package.json's version
//   node scripts/release-check.mjs scan <output-file>  the output of `npx @n8n/scan-community-package
//                                                      <name>@<version>` must say that exact package
//                                                      and version passed (the scanner exits 0 even
//                                                      when a check fails, so its output decides)
// Exit 0 when the check passes, 1 with the reason otherwise.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function readPackage(dir = REPO_DIR) {
	return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** null when the tag names the package's version, else the reason. */
export function checkVersion(tag, pkg) {
	const version = String(tag ?? '').replace(/^refs\/tags\//, '').replace(/^v/, '');
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) return `tag "${tag}" is not a version tag like v1.2.3`;
	if (version !== pkg.version) return `tag "${tag}" says ${version}, package.json says ${pkg.version}: bump package.json or tag again`;
	return null;
}

/** null when the scanner's output says this exact package version passed, else the reason. */
export function checkScanOutput(output, pkg) {
	const id = `${pkg.name}@${pkg.version}`;
	const failed = output.split('\n').find((l) => l.includes('❌') || /^Analysis failed/.test(l) || /^Reason:/.test(l));
	if (failed) return `the scanner reported a failure for ${id}: ${output.slice(output.indexOf(failed)).trim().slice(0, 2000)}`;
	if (!output.includes(`✅ Package ${id} has passed all security checks`))
		return `the scanner's output does not say that ${id} passed (looked for "✅ Package ${id} has passed all security checks"):\n${output.trim().slice(-2000) || '(empty output)'}`;
	return null;
}

function main([cmd, arg]) {
	const pkg = readPackage();
	let problem;
	if (cmd === 'version') problem = checkVersion(arg, pkg);
	else if (cmd === 'scan') {
		if (!arg || !fs.existsSync(arg)) problem = `no scanner output file "${arg ?? ''}"`;
		else problem = checkScanOutput(fs.readFileSync(arg, 'utf8'), pkg);
	} else {
		console.error('usage: node scripts/release-check.mjs version <tag> | scan <scanner-output-file>');
		return 2;
	}
	if (problem) {
		console.error(`✘ ${problem}`);
		return 1;
	}
	console.log(cmd === 'version' ? `✔ tag ${arg} = package.json version ${pkg.version}` : `✔ ${pkg.name}@${pkg.version} passed the n8n community package scan`);
	return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
