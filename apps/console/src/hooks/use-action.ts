import { useCallback, useState } from 'react';

/** A mutation in flight: run it, whether it is running, and its last error. */
export interface ActionState<A extends unknown[], T> {
  run(...args: A): Promise<T | undefined>;
  pending: boolean;
  error: unknown;
  clear(): void;
}

/**
 * Takes a function that calls the server; returns a runner that records pending and the error (shown by
 * ErrorNotice) instead of throwing. The runner resolves to the result, or undefined after a failure.
 */
export function useAction<A extends unknown[], T>(call: (...args: A) => Promise<T>): ActionState<A, T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(null);
      try {
        return await call(...args);
      } catch (e) {
        setError(e);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [call],
  );
  return { run, pending, error, clear: () => setError(null) };
}
