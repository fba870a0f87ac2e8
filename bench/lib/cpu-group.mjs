// CPU seconds of a set of processes and all their descendants, however they were started (detached VM
// processes and unreaped children included): a cgroup v1 `cpuacct` group, or a cgroup v2 group with the cpu
// controller. A process joins by writing its pid into the group before it execs the command (`wrap`).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V1 = '/sys/fs/cgroup/cpuacct';
const V2 = '/sys/fs/cgroup';
const PREFIX = 'vrs-bench-';

/** Returns the cgroup hierarchy CPU groups go in ({ root, kind }), or null when there is none writable. */
function hierarchy() {
  if (existsSync(join(V1, 'cpuacct.usage'))) return { root: V1, kind: 'v1' };
  const controllers = join(V2, 'cgroup.subtree_control');
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').includes('cpu')) return { root: V2, kind: 'v2' };
  return null;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Removes the groups of benchmark runs whose process is gone (a SIGKILLed run). Returns how many. */
export function removeStaleGroups() {
  const h = hierarchy();
  if (!h) return 0;
  let removed = 0;
  for (const name of readdirSync(h.root)) {
    const pid = Number(/^vrs-bench-(\d+)-/.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    try {
      rmdirSync(join(h.root, name));
      removed++;
    } catch {
      // still has processes: left for their owner's janitor
    }
  }
  return removed;
}

/** A CPU accounting group. Make one with {@link CpuGroup.create}; `remove()` it when its processes are gone. */
export class CpuGroup {
  constructor(dir, kind) {
    this.dir = dir;
    this.kind = kind;
  }

  /** Takes a short name; returns a new group owned by this process. Throws when there is no cgroup hierarchy. */
  static create(name) {
    const h = hierarchy();
    if (!h) throw new Error('no writable cgroup hierarchy with CPU accounting (run as root on Linux)');
    const dir = join(h.root, `${PREFIX}${process.pid}-${name}`);
    mkdirSync(dir, { recursive: true });
    return new CpuGroup(dir, h.kind);
  }

  /** Takes an argv; returns one that joins this group and then execs it. */
  wrap(argv) {
    return ['sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', this.dir, ...argv];
  }

  /** Returns the CPU seconds (user + system) every process that was ever in the group has used. */
  seconds() {
    if (this.kind === 'v1') return Number(readFileSync(join(this.dir, 'cpuacct.usage'), 'utf8')) / 1e9;
    const usec = /usage_usec (\d+)/.exec(readFileSync(join(this.dir, 'cpu.stat'), 'utf8'))?.[1];
    return Number(usec) / 1e6;
  }

  /** Returns the pids in the group now. */
  pids() {
    return readFileSync(join(this.dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  }

  /** Removes the group (idempotent). Throws while processes remain in it. */
  remove() {
    if (existsSync(this.dir)) rmdirSync(this.dir);
  }
}

/** Takes { name: CpuGroup }; returns a function that reads them all as { name: seconds }. */
export function cpuReader(groups) {
  return () => Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, g.seconds()]));
}

/** Takes two readings of {@link cpuReader}; returns the seconds between them per group, rounded to 10 ms. */
export function cpuDelta(before, after) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((after[k] - before[k]) * 100) / 100]));
}

/** Writes a pid into a group (for a process started elsewhere). */
export function joinGroup(group, pid) {
  writeFileSync(join(group.dir, 'cgroup.procs'), String(pid));
}
