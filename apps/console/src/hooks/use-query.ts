import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Api } from '../api/make-api.js';

/** A query's latest answer or error, and how to ask again. */
export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Takes a loader, the values it depends on, and an optional refresh interval; runs it on mount, when a
 * dependency changes, on reload() and every `refreshMs`. Keeps the last good data while reloading; a failure
 * sets `error` (cleared by the next success).
 */
export function useQuery<T>(
  load: (api: Api['trpc']) => Promise<T>,
  deps: readonly unknown[],
  o: { refreshMs?: number } = {},
): QueryState<T> {
  const api = useApi();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => setTick((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names the dependencies; tick reloads.
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loader.current(api).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [api, tick, ...deps]);

  useEffect(() => {
    if (!o.refreshMs) return;
    const timer = setInterval(reload, o.refreshMs);
    return () => clearInterval(timer);
  }, [o.refreshMs, reload]);

  return { ...state, reload };
}
