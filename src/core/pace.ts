/**
 * Long synchronous work (maintenance over a whole tenant, an import, a large change set) runs in slices of
 * about SLICE_MS, with a turn of the event loop between them, so that no request holds the loop for the
 * others (the server's bound is 100 ms; a slice leaves room for one expensive item and a garbage collection).
 * Slices are measured in time, not items: items range from a greeting to 32,000 characters. The slice is
 * the process's, not one caller's: work that calls other paced work (maintenance writing summaries, then
 * committing) shares it, so the loop is never held for one slice per layer.
 */
export const SLICE_MS = 20;

let sliceStart = performance.now();

/** One turn of the event loop: timers, I/O and other requests run before the caller continues. */
export async function nextTurn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

/** Whether the work since the event loop last turned (as far as paced work knows) has used up its slice. */
export function sliceUsed(): boolean {
  return performance.now() - sliceStart >= SLICE_MS;
}

/** Gives the event loop a turn when the slice is used up; call between items of work. */
export async function pace(): Promise<void> {
  if (sliceUsed()) await nextTurn();
}
