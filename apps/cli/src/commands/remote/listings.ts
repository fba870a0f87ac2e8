import { formatAge, formatSize, formatTable } from '../../format/table.js';
import { call, openApi } from '../../remote/open-api.js';
import { resolveVm } from '../../remote/resolve.js';
import { print } from './output.js';

/** Takes the work on an open connection; runs it and closes the connection. */
export async function withApi<T>(work: (c: Awaited<ReturnType<typeof openApi>>) => Promise<T>): Promise<T> {
  const c = await openApi();
  try {
    return await work(c);
  } finally {
    await c.close();
  }
}

/** `vrs hosts`: every enrolled host, online or not. */
export function runHosts(o: { json?: boolean }): Promise<number> {
  return withApi(async (c) => {
    const hosts = await call(c.api.hosts.list.query());
    print(o.json, hosts, () =>
      formatTable([
        ['NAME', 'ID', 'OS', 'STATE', 'LAST SEEN'],
        ...hosts.map((h) => [
          h.name,
          h.id,
          h.os,
          h.revoked ? 'revoked' : h.online ? 'online' : 'offline',
          h.lastSeenAt ?? 'never',
        ]),
      ]),
    );
    return 0;
  });
}

/** `vrs vms`: every VM the caller may see, with its protection against its RPO. */
export function runVms(o: { json?: boolean }): Promise<number> {
  return withApi(async (c) => {
    const vms = await call(c.api.vms.list.query());
    print(o.json, vms, () =>
      formatTable([
        ['NAME', 'UUID', 'STATE', 'LAST SNAPSHOT', 'RPO', 'PROTECTION', 'POLICY'],
        ...vms.map((v) => [
          v.name,
          v.uuid,
          v.state,
          formatAge(v.ageSeconds),
          `${v.rpoMinutes} min`,
          v.protection,
          v.policyName ?? '-',
        ]),
      ]),
    );
    return 0;
  });
}

/** `vrs snapshots VM`: the VM's snapshots, newest first. */
export function runSnapshots(vmRef: string, o: { json?: boolean }): Promise<number> {
  return withApi(async (c) => {
    const vm = await resolveVm(c, vmRef);
    const snapshots = await call(c.api.snapshots.list.query({ vmUuid: vm.uuid }));
    print(o.json, snapshots, () =>
      formatTable([
        ['ID', 'TAKEN', 'LABEL', 'CONSISTENCY', 'METHOD', 'NEW DATA', 'PINNED'],
        ...snapshots.map((s) => [
          s.id.slice(0, 8),
          s.createdAt,
          s.label,
          s.consistency ?? '?',
          s.captureMethod ?? '?',
          formatSize(s.newBytes),
          s.pinned ? 'yes' : '',
        ]),
      ]),
    );
    return 0;
  });
}

/** `vrs jobs [--vm VM] [--follow]`: recent jobs; with --follow, every change as it happens until interrupted. */
export function runJobs(o: { json?: boolean; vm?: string; follow?: boolean; limit?: string }): Promise<number> {
  return withApi(async (c) => {
    const vmUuid = o.vm ? (await resolveVm(c, o.vm)).uuid : undefined;
    const jobs = await call(c.api.jobs.list.query({ ...(vmUuid ? { vmUuid } : {}), limit: Number(o.limit ?? 20) }));
    const line = (j: (typeof jobs)[number]) => [
      j.id.slice(0, 8),
      j.kind,
      j.state,
      j.progress.phase,
      j.createdAt,
      j.error ? `${j.error.code}: ${j.error.message} (${j.error.hint})` : '',
    ];
    print(o.json, jobs, () => formatTable([['ID', 'KIND', 'STATE', 'PHASE', 'CREATED', 'ERROR'], ...jobs.map(line)]));
    if (!o.follow) return 0;
    await new Promise<void>((resolve, reject) => {
      const sub = c.api.jobs.watch.subscribe(
        {},
        {
          onData: (job) =>
            process.stdout.write(
              o.json
                ? `${JSON.stringify(job)}\n`
                : `${new Date().toISOString()}  ${line(job).join('  ')}  ${formatSize(job.progress.bytesSent)} sent\n`,
            ),
          onError: (error) => reject(error),
        },
      );
      process.once('SIGINT', () => {
        sub.unsubscribe();
        resolve();
      });
    });
    return 0;
  });
}
