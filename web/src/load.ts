/** One data-loading hook for every view: loading, loaded or failed, and a way to load again. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Loaded<T> =
  | { state: 'loading'; data?: T; error?: undefined }
  | { state: 'ok'; data: T; error?: undefined }
  | { state: 'error'; data?: T; error: Error };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> & { reload(): void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  // Reloads when the caller's deps change (the caller names them, as with useEffect) or on reload().
  useEffect(() => {
    const mine = ++latest.current;
    setResult((r) => ({ state: 'loading', data: r.data }));
    load().then(
      (data) => {
        if (mine === latest.current) setResult({ state: 'ok', data });
      },
      (error: unknown) => {
        if (mine === latest.current)
          setResult({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...result, reload };
}
