import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { PrunePreview, Retention } from '../api/api-types.js';

/** The prune previews of some VMs for one retention, and which retention they were made for. */
export interface PreviewState {
  /** The retention (as JSON) the previews answer; compare with the form's to know they are current. */
  key: string | null;
  previews: ReadonlyMap<string, PrunePreview>;
  error: unknown;
  loading: boolean;
}

/**
 * Takes VM ids and a retention (null: the form is invalid); asks `policies.previewPrune` for each VM (borg
 * prune --dry-run on the server) half a second after the retention last changed. Returns the answers with
 * the retention they belong to.
 */
export function usePrunePreview(vmUuids: readonly string[], retention: Retention | null): PreviewState {
  const api = useApi();
  const [state, setState] = useState<PreviewState>({ key: null, previews: new Map(), error: null, loading: false });
  const key = retention ? JSON.stringify(retention) : null;
  const vmKey = vmUuids.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `retention` (a new object each render).
  useEffect(() => {
    if (!key || !retention) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      Promise.all(
        vmKey
          .split(',')
          .filter(Boolean)
          .map((vmUuid) => api.policies.previewPrune.query({ vmUuid, retention })),
      )
        .then((answers) => {
          if (!live) return;
          const uuids = vmKey.split(',').filter(Boolean);
          setState({
            key,
            previews: new Map(answers.map((a, i) => [uuids[i] as string, a])),
            error: null,
            loading: false,
          });
        })
        .catch((error: unknown) => live && setState({ key: null, previews: new Map(), error, loading: false }));
    }, 500);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, key, vmKey]);
  return state;
}
