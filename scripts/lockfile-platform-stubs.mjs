#!/usr/bin/env node
// Why: the npm registry this project is installed from offline carries only the
// platform binaries for linux (x64/arm64). `npm install` then leaves the other
// platforms' optional packages (@next/swc-*, @tailwindcss/oxide-*) out of
// package-lock.json, and `npm ci` refuses a lock that lacks them. A stub entry
// with the package's os/cpu lets npm ci see the tree as complete and skip it on
// this platform (it never fetches an optional package for another platform).
// Run after any `npm install` that rewrites the lock: node scripts/lockfile-platform-stubs.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = {
  'android-arm64': [['android'], ['arm64']],
  'darwin-arm64': [['darwin'], ['arm64']],
  'darwin-x64': [['darwin'], ['x64']],
  'freebsd-x64': [['freebsd'], ['x64']],
  'linux-arm-gnueabihf': [['linux'], ['arm']],
  'linux-arm64-gnu': [['linux'], ['arm64']],
  'linux-arm64-musl': [['linux'], ['arm64']],
  'linux-x64-musl': [['linux'], ['x64']],
  'win32-arm64-msvc': [['win32'], ['arm64']],
  'win32-x64-msvc': [['win32'], ['x64']],
  'wasm32-wasi': [null, ['wasm32']],
};

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const added = [];
for (const [parent, prefix] of [
  ['node_modules/next', '@next/swc-'],
  ['node_modules/@tailwindcss/oxide', '@tailwindcss/oxide-'],
]) {
  for (const [name, version] of Object.entries(lock.packages[parent]?.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const platform = PLATFORMS[name.slice(prefix.length)];
    if (!name.startsWith(prefix) || lock.packages[key] || !platform) continue;
    const [os, cpu] = platform;
    lock.packages[key] = { version, optional: true, ...(os ? { os } : {}), cpu };
    added.push(name);
  }
}
const entries = Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(entries);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `stubbed: ${added.join(', ')}` : 'lockfile already complete');
