import { DEFAULT_RETENTION, Disk, type RetentionPolicy } from '@vrs/protocol';
import { z } from 'zod';
import type { App } from '../app/app.js';
import type { Host, RetentionPolicy as PolicyRow, Vm } from '../catalog/generated/prisma/client.js';
import { fromJsonColumn } from '../catalog/json-column.js';

/** A host as people see it. */
export function hostView(app: App, row: Host) {
  return {
    id: row.id,
    name: row.name,
    os: row.os,
    agentVersion: row.agentVersion,
    virtualBoxVersion: row.virtualBoxVersion,
    enrolledAt: row.enrolledAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    online: app.hub.online(row.id),
    revoked: row.revokedAt !== null,
  };
}

/** Takes a policy row; returns it as protocol's RetentionPolicy. */
export function policyView(row: PolicyRow): RetentionPolicy {
  return {
    id: row.id,
    name: row.name,
    schedule: row.schedule,
    keepWithin: row.keepWithin,
    hourly: row.hourly,
    daily: row.daily,
    weekly: row.weekly,
    monthly: row.monthly,
    yearly: row.yearly,
    rpoMinutes: row.rpoMinutes,
  };
}

/** Whether a VM's last good snapshot is within its RPO: `ok`, `late` (past it) or `never` (no snapshot yet). */
export type Protection = 'ok' | 'late' | 'never';

/** Takes a VM's last snapshot time, its RPO and now; returns its protection and the age in seconds. */
export function protectionOf(last: Date | null, rpoMinutes: number, now = Date.now()) {
  if (!last) return { protection: 'never' as Protection, ageSeconds: null };
  const ageSeconds = Math.max(0, Math.round((now - last.getTime()) / 1000));
  return { protection: (ageSeconds > rpoMinutes * 60 ? 'late' : 'ok') as Protection, ageSeconds };
}

/** A VM as people and its host see it: its disks, policy and protection. */
export function vmView(row: Vm & { policy: PolicyRow | null }, fallback: PolicyRow | null) {
  const policy = row.policy ?? fallback;
  const rpo = policy?.rpoMinutes ?? DEFAULT_RETENTION.rpoMinutes;
  return {
    uuid: row.id,
    hostId: row.hostId,
    name: row.name,
    state: row.state,
    configFile: row.configFile,
    disks: fromJsonColumn(z.array(Disk), row.disks, 'Vm.disks'),
    policyId: row.policyId,
    policyName: policy?.name ?? null,
    rpoMinutes: rpo,
    captureMethod: row.captureMethod,
    lastSnapshotAt: row.lastSnapshotAt?.toISOString() ?? null,
    ...protectionOf(row.lastSnapshotAt, rpo),
    updatedAt: row.updatedAt.toISOString(),
  };
}
