import type { Host, Policy, Vm } from '../api/api-types.js';
import { formatBytes } from '../format/format-bytes.js';
import { formatDuration } from '../format/format-duration.js';
import { rpoStatus } from '../format/rpo-status.js';
import { RpoBadge } from './rpo-badge.js';
import { VmPolicyPicker } from './vm-policy-picker.js';

/** What a VM is: its host, state, disks, capture method, policy and protection. */
export function VmFacts(props: {
  vm: Vm;
  host: Host | undefined;
  policies: readonly Policy[];
  now: number;
  onChanged(): void;
}) {
  const { vm } = props;
  const { status, ageSeconds } = rpoStatus(vm.lastSnapshotAt, vm.rpoMinutes, props.now);
  return (
    <dl className="facts">
      <dt>Host</dt>
      <dd>
        {props.host?.name ?? vm.hostId}{' '}
        {props.host ? <span className="muted">({props.host.online ? 'online' : 'offline'})</span> : null}
      </dd>
      <dt>State</dt>
      <dd data-vm-state={vm.state}>{vm.state}</dd>
      <dt>Disks</dt>
      <dd>
        {vm.disks.length} ({formatBytes(vm.disks.reduce((sum, d) => sum + d.virtualSize, 0))})
      </dd>
      <dt>Capture</dt>
      <dd>{vm.captureMethod ?? 'chosen by the agent'}</dd>
      <dt>Policy</dt>
      <dd>
        <VmPolicyPicker vm={vm} policies={props.policies} onChanged={props.onChanged} />
      </dd>
      <dt>Protection</dt>
      <dd>
        <RpoBadge status={status} ageSeconds={ageSeconds} />{' '}
        <span className="muted">RPO {formatDuration(vm.rpoMinutes * 60)}</span>
      </dd>
    </dl>
  );
}
