import type { HashPool } from '@vrs/block-engine';
import type { CaptureJournal, PowerShellRunner } from '@vrs/capture';
import type { VirtualBox } from '@vrs/virtualbox';
import type { Logger } from 'pino';
import type { VrsClient } from '../connection/vrs-client.js';

/** What a job runner needs: the server (API and transfer address), VirtualBox, hashing, and local state. */
export interface JobContext {
  client: VrsClient;
  /** `wss://HOST:PORT` */
  server: string;
  fingerprint: string;
  vbox: VirtualBox;
  pool: HashPool;
  captureJournal: CaptureJournal;
  /** Where restore journals live (one folder per job). */
  stateDir: string;
  log: Logger;
  powershell?: PowerShellRunner;
  /** Aborted when the server cancels the job or the agent stops. */
  signal: AbortSignal;
}
