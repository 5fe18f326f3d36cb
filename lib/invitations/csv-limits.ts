/**
 * The bulk-invite CSV limits and the sentence for a file over them. No imports: the browser
 * checks the size with the same numbers and words before uploading (app/orgs/[orgId]/team/_components/
 * bulk-invite.tsx), and the server action and the parser check again.
 */

export const CSV_MAX_BYTES = 1_000_000;
export const CSV_MAX_ROWS = 1_000;
export const CSV_LIMITS_TEXT = `up to ${CSV_MAX_ROWS.toLocaleString('en-US')} rows and 1 MB`;

/** "The file is larger than 1 MB (it is 1.5 MB). …" — rounded up, so a file just over never reads "1.0 MB". */
export function csvTooLargeMessage(byteLength: number): string {
  const mb = Math.ceil(byteLength / 100_000) / 10;
  return `The file is larger than 1 MB (it is ${mb.toFixed(1)} MB). Split it into smaller files, each ${CSV_LIMITS_TEXT}.`;
}
