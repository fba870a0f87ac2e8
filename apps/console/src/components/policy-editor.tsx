import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Policy, Vm } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { KEEP_FIELDS, parsePolicy, parseRetention, toPolicyForm } from '../format/policy-form.js';
import { useAction } from '../hooks/use-action.js';
import { usePrunePreview } from '../hooks/use-prune-preview.js';
import { ErrorNotice } from './error-notice.js';
import { PruneNowButton } from './prune-now-button.js';
import { PrunePreviewView } from './prune-preview-view.js';

const LABELS: Record<string, string> = {
  name: 'Name',
  schedule: 'Schedule (cron)',
  keepWithin: 'Keep within (e.g. 2H, 7d)',
  hourly: 'Hourly',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  yearly: 'Yearly',
  rpoMinutes: 'RPO (minutes)',
};

/**
 * A policy's schedule and retention. Every change of the retention asks the server which snapshots of the
 * policy's VMs it would remove (a borg dry run), and Save stays disabled until that preview answers the
 * retention on screen. Viewers see the fields read-only and the preview of the saved retention.
 */
export function PolicyEditor({
  policy,
  vms,
  onSaved,
}: {
  policy: Policy | undefined;
  vms: readonly Vm[];
  onSaved(p: Policy): void;
}) {
  const api = useApi();
  const { canChange } = useSession();
  const [form, setForm] = useState(() => toPolicyForm(policy));
  const [saved, setSaved] = useState(false);
  const parsed = parseRetention(form);
  const retention = 'retention' in parsed ? parsed.retention : null;
  const whole = retention ? parsePolicy(form, retention) : null;
  const preview = usePrunePreview(
    vms.map((v) => v.uuid),
    retention,
  );
  const current = retention !== null && preview.key === JSON.stringify(retention) && !preview.loading;
  const save = useAction(async () => {
    if (!whole || !('policy' in whole) || !whole.policy) return;
    const row = policy
      ? await api.policies.update.mutate({ id: policy.id, ...whole.policy })
      : await api.policies.create.mutate(whole.policy);
    setSaved(true);
    onSaved({ ...row, vms: policy?.vms ?? 0 });
  });
  const set = (field: keyof typeof form, value: string) => {
    setSaved(false);
    setForm((f) => ({ ...f, [field]: value }));
  };
  const problem = 'problem' in parsed ? parsed.problem : whole && 'problem' in whole ? whole.problem : null;
  const field = (name: keyof typeof form, type: 'text' | 'number' = 'text') => (
    <label key={name}>
      {LABELS[name]}
      <input
        name={name}
        type={type}
        min={type === 'number' ? 0 : undefined}
        value={form[name]}
        readOnly={!canChange}
        disabled={!canChange}
        onChange={(e) => set(name, e.target.value)}
      />
    </label>
  );
  return (
    <div className="policy-editor">
      <div className="form-grid">
        {field('name')}
        {field('schedule')}
        {field('rpoMinutes', 'number')}
        {field('keepWithin')}
        {KEEP_FIELDS.map((k) => field(k, 'number'))}
      </div>
      {problem ? <p className="not-ok">{problem}</p> : null}
      <h3>Prune preview</h3>
      <p className="muted small">
        What a prune with the retention above would remove now, asked of borg (<code>borg prune --dry-run</code>) for
        every VM on this policy. Pinned snapshots are never pruned.
      </p>
      <ErrorNotice error={preview.error} />
      {vms.length === 0 ? <p className="muted">No VM uses this policy: pick it on a VM's page.</p> : null}
      {preview.loading ? (
        <p className="muted" data-preview-state="loading">
          Asking borg…
        </p>
      ) : null}
      {current ? (
        <div data-preview-retention={preview.key}>
          {vms.map((vm) => {
            const p = preview.previews.get(vm.uuid);
            return p ? <PrunePreviewView key={vm.uuid} vm={vm} preview={p} /> : null;
          })}
        </div>
      ) : null}
      {canChange ? (
        <div className="form-actions">
          <button
            type="button"
            className="primary"
            data-mutation="save-policy"
            disabled={!current || problem !== null || save.pending}
            onClick={() => void save.run()}
          >
            {policy ? 'Save policy' : 'Create policy'}
          </button>
          {saved ? (
            <span className="ok" data-saved>
              Saved.
            </span>
          ) : null}
          <ErrorNotice error={save.error} onDismiss={save.clear} />
          {policy
            ? vms.map((vm) => (
                <PruneNowButton
                  key={vm.uuid}
                  vm={vm}
                  disabled={!saved && JSON.stringify(form) !== JSON.stringify(toPolicyForm(policy))}
                />
              ))
            : null}
        </div>
      ) : null}
    </div>
  );
}
