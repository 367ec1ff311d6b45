/**
 * How long one slice of work over many items may hold the thread before yielding: long enough to do real work,
 * short enough that the extension host's other events are not noticed waiting.
 */
const SLICE_MS = 8;

/** `map` over `items` in slices of about SLICE_MS, yielding to the event loop between slices; results keep the items' order. */
export async function mapInSlices<T, R>(items: readonly T[], map: (item: T) => R): Promise<R[]> {
  const results: R[] = [];
  let sliceStart = performance.now();
  for (const item of items) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    results.push(map(item));
  }
  return results;
}
