import type { Host, Vm } from '../api/api-types.js';
import { formatDuration } from '../format/format-duration.js';
import { formatTime } from '../format/format-time.js';
import { rpoStatus } from '../format/rpo-status.js';
import { Link } from '../router/link.js';
import { RpoBadge } from './rpo-badge.js';

/** Every VM with the age of its last good snapshot coloured against its RPO; a name opens the VM's page. */
export function VmProtectionTable({ vms, hosts, now }: { vms: readonly Vm[]; hosts: readonly Host[]; now: number }) {
  const hostName = new Map(hosts.map((h) => [h.id, h.name]));
  if (vms.length === 0)
    return <p className="muted">No VM reported yet: a host's agent lists its VMs when it connects.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th>VM</th>
          <th>Host</th>
          <th>State</th>
          <th>Last good snapshot</th>
          <th>Age against RPO</th>
          <th>RPO</th>
          <th>Policy</th>
        </tr>
      </thead>
      <tbody>
        {vms.map((vm) => {
          const { status, ageSeconds } = rpoStatus(vm.lastSnapshotAt, vm.rpoMinutes, now);
          return (
            <tr key={vm.uuid} data-vm={vm.uuid}>
              <td>
                <Link to={`/vms/${vm.uuid}`}>{vm.name}</Link>
              </td>
              <td>{hostName.get(vm.hostId) ?? vm.hostId}</td>
              <td>{vm.state}</td>
              <td>{formatTime(vm.lastSnapshotAt)}</td>
              <td>
                <RpoBadge status={status} ageSeconds={ageSeconds} />
              </td>
              <td>{formatDuration(vm.rpoMinutes * 60)}</td>
              <td>{vm.policyName ?? '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
