import type { CaptureMethod, Consistency } from '@vrs/protocol';
import type { VmInfo } from '@vrs/virtualbox';

/** What a captured file is to the VM. */
export type FileRole = 'disk' | 'config' | 'nvram' | 'state';

/** One file of a capture: where it lives, where to read its frozen content, and which medium it is. */
export interface CapturedFile {
  role: FileRole;
  sourcePath: string;
  readPath: string;
  /** The image UUID for disk images (each image of a differencing chain is its own file); null otherwise. */
  mediumUuid: string | null;
}

/** A point-in-time view of a VM's files. Read them, then call `release()` (always; it is idempotent). */
export interface Capture {
  method: CaptureMethod;
  vm: VmInfo;
  files: CapturedFile[];
  consistency: Consistency;
  /** How long the guest was paused (or stopped for savestate), in milliseconds. */
  pausedMs: number;
  /** How long the guest file systems were frozen by the quiesce hooks, in milliseconds. */
  frozenMs: number;
  /** Returns whether the view is still what was captured (offline: the VM did not start meanwhile). */
  verify(): Promise<boolean>;
  /** Removes everything the capture left (clones, snapshots, shadows) and resumes what it stopped. */
  release(): Promise<void>;
}

/** Guest commands that quiesce the guest (e.g. fsfreeze through Guest Additions), with a timeout. */
export interface QuiesceHooks {
  username: string;
  passwordFile?: string;
  freeze: string[];
  thaw: string[];
  timeoutMs?: number;
}

/** How to capture. */
export interface CaptureOptions {
  /** The job's id (a UUID): names the transient snapshot and the journal entries. */
  job: string;
  /** Force a provider (a VM policy); otherwise `selectProvider` decides. */
  method?: CaptureMethod;
  /**
   * A directory for clones and copies, on the VM folder's filesystem for reflinks; default `.vrs-capture` in
   * the VM's folder (found by the capture's own inspection of the VM, so callers need not inspect it first).
   */
  workDir?: string;
  quiesce?: QuiesceHooks;
}

/** Capture options once the work directory is known: what the providers take. */
export type ResolvedCaptureOptions = CaptureOptions & { workDir: string };
