import type { DirectoryRecord } from './state.js';

/**
 * Members per group of a directory, counted once and kept until the directory changes: every
 * ListDirectoryUsers page names its users' groups with their sizes, and recounting a
 * 10,000-user directory for each of its 334 pages was a good part of listing it
 * (bench/directory-sync.ts). Every change to a directory's users or groups calls forgetGroupSizes.
 */
const cache = new WeakMap<DirectoryRecord, Map<string, number>>();

export function groupSizes(d: DirectoryRecord): Map<string, number> {
  let sizes = cache.get(d);
  if (!sizes) {
    sizes = new Map();
    for (const u of d.users) for (const id of u.groupIds) sizes.set(id, (sizes.get(id) ?? 0) + 1);
    cache.set(d, sizes);
  }
  return sizes;
}

export function forgetGroupSizes(d: DirectoryRecord): void {
  cache.delete(d);
}
