import { useApi } from '../api/api-context.js';
import type { Policy, Vm } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { useAction } from '../hooks/use-action.js';
import { ErrorNotice } from './error-notice.js';

/** The VM's policy: a picker for admins (its own policy, or the default one), plain text for viewers. */
export function VmPolicyPicker({
  vm,
  policies,
  onChanged,
}: {
  vm: Vm;
  policies: readonly Policy[];
  onChanged(): void;
}) {
  const api = useApi();
  const { canChange } = useSession();
  const set = useAction(async (policyId: string | null) => {
    await api.vms.setPolicy.mutate({ uuid: vm.uuid, policyId });
    onChanged();
  });
  if (!canChange) return <span>{vm.policyName ?? 'default'}</span>;
  return (
    <span>
      <select
        data-mutation="set-policy"
        value={vm.policyId ?? ''}
        disabled={set.pending}
        onChange={(e) => set.run(e.target.value || null)}
        aria-label="Policy"
      >
        <option value="">default policy</option>
        {policies
          .filter((p) => p.name !== 'default')
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
      </select>
      <ErrorNotice error={set.error} />
    </span>
  );
}
