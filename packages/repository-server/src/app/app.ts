import type { Logger } from 'pino';
import type { AgentHub } from '../agents/agent-hub.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { Catalog } from '../catalog/open-catalog.js';
import type { ServerConfig } from '../config/server-config.js';
import type { JobEvents } from '../jobs/job-events.js';
import type { JobService } from '../jobs/job-service.js';
import type { RepositoryWriter } from '../jobs/repository-writer.js';
import type { Metrics } from '../observability/metrics.js';
import type { Notifier } from '../observability/notifier.js';
import type { Repositories } from '../repos/repositories.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SnapshotService } from '../snapshots/snapshot-service.js';
import type { TransferRegistry } from '../transfer/transfer-registry.js';
import type { DataPaths } from './data-paths.js';
import type { HostSockets } from './host-sockets.js';

/** Everything a running vrs-server is made of; procedures reach it through their context. */
export interface App {
  config: ServerConfig;
  paths: DataPaths;
  catalog: Catalog;
  log: Logger;
  repositories: Repositories;
  writer: RepositoryWriter;
  limiter: LoginLimiter;
  /** The TLS certificate's `SHA256:` fingerprint that agents pin. */
  fingerprint: string;
  /** `wss://HOST:PORT` as agents and the CLI reach the server. */
  publicUrl: string;
  hub: AgentHub;
  sockets: HostSockets;
  jobs: JobService;
  events: JobEvents;
  transfers: TransferRegistry;
  snapshots: SnapshotService;
  scheduler: Scheduler;
  metrics: Metrics;
  notifier: Notifier;
}
