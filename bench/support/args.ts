import { parseArgs } from 'node:util';

/**
 * The benches' numeric flags (`--rows 1000`, `--page-size 100`): each key of `defaults` becomes a
 * `--key <n>` option, read as a number, falling back to its default. One place instead of a
 * parseArgs block of string options plus a Number() line per flag in every bench.
 */
export function numberArgs<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const keys = Object.keys(defaults) as K[];
  const { values } = parseArgs({
    options: Object.fromEntries(keys.map((key) => [key, { type: 'string', default: String(defaults[key]) }])),
  });
  return Object.fromEntries(keys.map((key) => [key, Number(values[key])])) as Record<K, number>;
}
