// Types of lab.mjs for the TypeScript tests that drive the lab (infra/lab/test). Keep in step with lab.mjs.
import type { ChildProcess } from 'node:child_process';

/** The lab script. */
export const LAB_SCRIPT: string;
/** Addresses of the two sides on the veth pair. */
export const ADDRESSES: { host: string; storage: string };

export type Side = 'host' | 'storage';
export type Profile = 'wifi' | 'lan' | 'none';

/** Wall and CPU seconds of a command, from GNU time. */
export interface CpuTime {
  wall: number;
  user: number;
  system: number;
  total: number;
}

/** How a command ended: its exit, output (the last 64 KiB when piped) and times. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  cpu: CpuTime | null;
}

export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  stdio?: 'pipe' | 'inherit' | 'ignore';
  timeoutMs?: number;
  check?: boolean;
}

/** Veth counters of one end. */
export interface EndCounters {
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
  lossPackets: number;
}

export function parseTime(text: string): CpuTime;

export class Lab {
  constructor(id: string);
  readonly id: string;
  closed: boolean;
  /** Scratch directory inside the lab's state directory (removed by lab.sh down). */
  readonly scratch: string;
  spawn(
    side: Side,
    argv: string[],
    options?: SpawnOptions,
  ): { child: ChildProcess; done: Promise<RunResult>; stop(signal?: NodeJS.Signals): Promise<RunResult> };
  run(side: Side, argv: string[], options?: SpawnOptions): Promise<RunResult>;
  counters(): { host: EndCounters; storage: EndCounters };
  setProfile(profile: Profile): void;
  link(state: 'down' | 'up'): void;
  show(): string;
  closeSync(): void;
  close(): Promise<void>;
}

export function startLab(options?: { profile?: Profile; ttlSeconds?: number }): Promise<Lab>;
export function withLab<T>(
  options: { profile?: Profile; ttlSeconds?: number },
  fn: (lab: Lab) => Promise<T>,
): Promise<T>;
