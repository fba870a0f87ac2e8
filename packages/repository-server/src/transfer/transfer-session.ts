import type { Reference } from '@vrs/block-engine';
import { decodeFrame, decodeManifest, type FrameLimits, type Manifest } from '@vrs/protocol';
import { MirrorError } from '../mirror/mirror-error.js';
import type { MirrorStore } from '../mirror/mirror-store.js';
import type { CommitSummary, StagingSession } from '../mirror/staging-session.js';
import { SnapshotInfo } from '../snapshots/snapshot-info.js';

/** What one frame did. */
export interface FrameResult {
  disk: string;
  position: number;
  kind: 'data' | 'reference';
}

/**
 * The server's side of one snapshot transfer (a job): frames from the agent are checked, verified and
 * staged; a reconnect for the same job resumes (staged cells survive); `seal` commits the complete new
 * manifests atomically. Frames for disks outside the job are refused. Framing errors, hash mismatches and
 * bad seals throw typed errors and change nothing in the mirror.
 */
export class TransferSession {
  private readonly staging: StagingSession;
  private readonly references = new Map<string, Map<number, number>>();

  constructor(
    private readonly store: MirrorStore,
    readonly vm: string,
    readonly job: string,
    private readonly disks: ReadonlySet<string>,
    private readonly limits: FrameLimits = {},
  ) {
    this.staging = store.session(vm, job);
  }

  /** Returns, per disk of the job, the positions already staged: the agent skips them when it resumes. */
  async resumeState(): Promise<Record<string, number[]>> {
    const staged = await this.stagedWithHashes();
    return Object.fromEntries(Object.entries(staged).map(([disk, cells]) => [disk, cells.map(([p]) => p)]));
  }

  /**
   * Returns, per disk of the job, the cells already staged with their hashes (hex): a resumed transfer skips
   * each cell whose current hash is the staged one, and sends the others again.
   */
  async stagedWithHashes(): Promise<Record<string, [number, string][]>> {
    const out: Record<string, [number, string][]> = {};
    for (const disk of this.disks) {
      out[disk] = [...(await this.staging.stagedCells(disk)).entries()].sort((a, b) => a[0] - b[0]);
    }
    return out;
  }

  /** Takes one binary frame; stages a data cell (verified against its hash) or records a reference. Throws FrameError or MirrorError. */
  async handleFrame(bytes: Uint8Array): Promise<FrameResult> {
    // The hash is checked once, when the cell is staged.
    const frame = decodeFrame(bytes, { ...this.limits, verifyHash: false });
    if (!this.disks.has(frame.disk))
      throw new MirrorError('INVALID_INPUT', `disk ${frame.disk} is not part of job ${this.job}`);
    if (frame.type === 'reference') {
      const refs = this.references.get(frame.disk) ?? new Map<number, number>();
      refs.set(frame.position, frame.source);
      this.references.set(frame.disk, refs);
    } else {
      await this.staging.stageBlock(frame.disk, frame.position, frame.hash, frame.payload);
    }
    return { disk: frame.disk, position: frame.position, kind: frame.type };
  }

  /**
   * Takes every disk's new manifest (encoded) and the snapshot description; commits the mirror. Throws
   * MANIFEST_INVALID, INVALID_INPUT (a description that does not match), MIRROR_INCOMPLETE (cells never
   * sent; the agent sends them and seals again) or DISK_FULL.
   */
  async seal(manifests: { disk: string; manifest: Uint8Array }[], info: unknown): Promise<CommitSummary> {
    const description = SnapshotInfo.safeParse(info);
    if (!description.success)
      throw new MirrorError(
        'INVALID_INPUT',
        `the snapshot description is invalid: ${description.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    if (description.data.vm.uuid !== this.vm)
      throw new MirrorError(
        'INVALID_INPUT',
        `the description names VM ${description.data.vm.uuid}, the job is for ${this.vm}`,
      );
    const decoded: { uuid: string; manifest: Manifest; references: Reference[] }[] = [];
    for (const { disk, manifest } of manifests) {
      if (!this.disks.has(disk)) throw new MirrorError('INVALID_INPUT', `disk ${disk} is not part of job ${this.job}`);
      const refs = [...(this.references.get(disk) ?? new Map()).entries()].map(([position, source]) => ({
        position,
        source,
      }));
      decoded.push({ uuid: disk, manifest: decodeManifest(manifest), references: refs });
    }
    return this.store.commit(this.vm, this.staging, decoded, description.data);
  }
}
