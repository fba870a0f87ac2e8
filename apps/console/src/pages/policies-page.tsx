import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Policy } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { ErrorNotice } from '../components/error-notice.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { Section } from '../components/section.js';
import { formatDuration } from '../format/format-duration.js';
import { useAction } from '../hooks/use-action.js';
import { useQuery } from '../hooks/use-query.js';

/** The policies, one of them in the editor with its prune preview; admins also create and delete policies. */
export function PoliciesPage() {
  const api = useApi();
  const { canChange } = useSession();
  const policies = useQuery((a) => a.policies.list.query(), []);
  const vms = useQuery((a) => a.vms.list.query(), []);
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const remove = useAction(async (p: Policy) => {
    await api.policies.delete.mutate({ id: p.id });
    setSelected(null);
    policies.reload();
  });
  const list = policies.data ?? [];
  const chosen = selected === 'new' ? undefined : (list.find((p) => p.id === selected) ?? list[0]);
  const onPolicy = (p: Policy | undefined) =>
    (vms.data ?? []).filter((v) => (p ? v.policyId === p.id || (p.name === 'default' && v.policyId === null) : false));
  return (
    <>
      <h1>Policies</h1>
      <ErrorNotice error={policies.error ?? vms.error} />
      <Section
        title="Policies"
        actions={
          canChange ? (
            <button type="button" data-mutation="new-policy" onClick={() => setSelected('new')}>
              New policy
            </button>
          ) : null
        }
      >
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Schedule</th>
              <th>Keep</th>
              <th>RPO</th>
              <th>VMs</th>
              {canChange ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr
                key={p.id}
                className={chosen?.id === p.id && selected !== 'new' ? 'selected' : ''}
                data-policy={p.name}
              >
                <td>
                  <button type="button" className="link-button" onClick={() => setSelected(p.id)}>
                    {p.name}
                  </button>
                </td>
                <td>
                  <code>{p.schedule}</code>
                </td>
                <td>
                  {p.keepWithin ? `within ${p.keepWithin}, ` : ''}
                  {p.hourly} hourly, {p.daily} daily, {p.weekly} weekly, {p.monthly} monthly, {p.yearly} yearly
                </td>
                <td>{formatDuration(p.rpoMinutes * 60)}</td>
                <td>{onPolicy(p).length}</td>
                {canChange ? (
                  <td>
                    {p.name === 'default' ? null : (
                      <button
                        type="button"
                        data-mutation="delete-policy"
                        className="danger"
                        onClick={() => void remove.run(p)}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        <ErrorNotice error={remove.error} onDismiss={remove.clear} />
      </Section>
      {selected === 'new' || chosen ? (
        <Section title={selected === 'new' ? 'New policy' : `Edit ${chosen?.name}`}>
          <PolicyEditor
            key={selected === 'new' ? 'new' : chosen?.id}
            policy={chosen}
            vms={onPolicy(chosen)}
            onSaved={(p) => {
              policies.reload();
              setSelected(p.id);
            }}
          />
        </Section>
      ) : null}
    </>
  );
}
