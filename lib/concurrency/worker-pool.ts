/**
 * Run `work` over `items` with at most `concurrency` calls in flight, starting items in order.
 *
 * Used wherever a list of invitations goes to Scalekit (the API's batch invites, bulk CSV): one
 * call at a time is too slow for hundreds of rows, and unbounded fan-out would trip Scalekit's
 * rate limits and hold a database connection per row. `shouldStop` is checked before each new
 * item, so a run that hit a limit finishes what is in flight and starts nothing more.
 *
 * If `work` throws, no further item starts, the calls already in flight are awaited, and then the
 * first error is thrown: the caller's cleanup (its `finally`) never races lanes still running.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a whole number of at least 1');
  let next = 0;
  let failed: { error: unknown } | null = null;
  const lane = async () => {
    while (next < items.length && !failed && !shouldStop()) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failed) throw (failed as { error: unknown }).error;
}
