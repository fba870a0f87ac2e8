import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { requireBorg, setBorgBinary, setBorgLogger } from '@vrs/borg';
import type pino from 'pino';
import { WebSocketServer } from 'ws';
import { AgentHub } from '../agents/agent-hub.js';
import { LoginLimiter } from '../auth/login-limiter.js';
import { openCatalog } from '../catalog/open-catalog.js';
import type { ServerConfig } from '../config/server-config.js';
import { JobEvents } from '../jobs/job-events.js';
import { JobService } from '../jobs/job-service.js';
import { RepositoryWriter } from '../jobs/repository-writer.js';
import { makeServerJobs } from '../jobs/server-jobs.js';
import { makeServerLogger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { Notifier } from '../observability/notifier.js';
import { Repositories } from '../repos/repositories.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { SnapshotService } from '../snapshots/snapshot-service.js';
import { certificateFingerprint } from '../tls/make-certificate.js';
import { serveTransfer } from '../transfer/transfer-endpoint.js';
import { TransferRegistry } from '../transfer/transfer-registry.js';
import { appRouter } from '../trpc/app-router.js';
import { type Context, remoteOf, resolveActor } from '../trpc/context.js';
import { describeError } from '../trpc/trpc.js';
import type { App } from './app.js';
import { DataPaths } from './data-paths.js';
import { HostSockets } from './host-sockets.js';
import { handleHttp } from './http-routes.js';
import { ServerError } from './server-error.js';

/** A started server: its parts, where it listens, and how to stop it. */
export interface RunningServer {
  app: App;
  port: number;
  /** `wss://host:port` of the listening socket (for tests; agents use `app.publicUrl`). */
  url: string;
  stop(): Promise<void>;
}

/** The built console beside this package in the repository (apps/console/dist), when it exists. */
function defaultConsoleDir(): string | null {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'apps', 'console', 'dist');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

/**
 * Takes the configuration; starts vrs-server on an initialized data directory: opens and migrates the catalog,
 * finishes interrupted mirror commits, puts interrupted jobs in a truthful state, reconciles the catalog with
 * borg, then serves https (health, metrics, console, cookie login) and wss (`/trpc`, `/transfer`) on one port
 * and starts the scheduler. Throws INVALID_INPUT for a data directory that was never initialized, BorgError
 * when borg is unusable.
 */
export async function startServer(
  config: ServerConfig,
  o: { logDestination?: pino.DestinationStream } = {},
): Promise<RunningServer> {
  const paths = new DataPaths(config.data);
  if (!existsSync(paths.tlsCert) || !existsSync(paths.tlsKey) || !existsSync(paths.catalog)) {
    throw new ServerError('INVALID_INPUT', `${config.data} is not an initialized vrs data directory`, {
      hint: `Run \`vrs-server init --data ${config.data}\` first.`,
    });
  }
  const log = makeServerLogger(config.logLevel, o.logDestination);
  setBorgLogger(log.child({ module: 'borg' }));
  if (config.borg.binary !== 'borg') setBorgBinary(config.borg.binary);
  await requireBorg(config.borg.binary);
  const cert = readFileSync(paths.tlsCert, 'utf8');
  const key = readFileSync(paths.tlsKey, 'utf8');
  const fingerprint = certificateFingerprint(cert);
  const { catalog, close: closeCatalog, applied } = await openCatalog(config.data);
  if (applied.length > 0) log.info({ applied }, 'catalog migrated');

  const resolved: ServerConfig = { ...config, consoleDir: config.consoleDir ?? defaultConsoleDir() };
  const metrics = new Metrics();
  const notifier = new Notifier(config.webhook, log.child({ module: 'notify' }));
  const hub = new AgentHub();
  const events = new JobEvents();
  const writer = new RepositoryWriter();
  const repositories = new Repositories(catalog, paths, resolved);
  const jobs = new JobService(catalog, hub, events, log.child({ module: 'jobs' }), (job) => {
    metrics.jobsFinished.inc({ kind: job.kind, state: job.state });
    if (job.startedAt && job.finishedAt) {
      metrics.jobSeconds.observe({ kind: job.kind }, (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000);
    }
    if (job.state === 'failed' && job.error) {
      void notifier.notify({ event: 'job.failed', jobId: job.id, kind: job.kind, vmUuid: job.vmUuid, ...job.error });
    }
  });
  const snapshots = new SnapshotService(
    catalog,
    repositories,
    writer,
    log.child({ module: 'snapshots' }),
    config.borg.compression,
  );
  const scheduler = new Scheduler(catalog, jobs, log.child({ module: 'scheduler' }), metrics, notifier);
  const app: App = {
    config: resolved,
    paths,
    catalog,
    log,
    repositories,
    writer,
    limiter: new LoginLimiter(),
    fingerprint,
    publicUrl: config.publicUrl ?? '',
    hub,
    sockets: new HostSockets(),
    jobs,
    events,
    transfers: new TransferRegistry(),
    snapshots,
    scheduler,
    metrics,
    notifier,
  };
  hub.onChange(() => metrics.hostsOnline.set(hub.onlineHosts().length));

  await recoverAtStart(app);

  const server = createServer({ cert, key }, (req, res) => void handleHttp(app, req, res));
  const maxPayload = config.limits.maxFrameBytes;
  const trpcWss = new WebSocketServer({ noServer: true, maxPayload });
  const transferWss = new WebSocketServer({ noServer: true, maxPayload });
  const trpc = applyWSSHandler<typeof appRouter>({
    wss: trpcWss,
    router: appRouter,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    createContext: async ({ req, res, info }): Promise<Context> => {
      const actor = await resolveActor(app, req, info.connectionParams);
      if (actor.kind === 'host') app.sockets.add(actor.id, res);
      return { app, actor, remote: remoteOf(req) };
    },
    onError: ({ error, path }) => {
      if (describeError(error).code === 'INTERNAL') log.error({ err: error.cause ?? error, path }, 'procedure failed');
    },
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'https://vrs').pathname;
    const target = path === '/trpc' ? trpcWss : path === '/transfer' ? transferWss : null;
    // A cookie-authenticated socket must come from the console's own origin (cross-site WebSocket hijacking).
    const origin = req.headers.origin;
    const crossSite = origin !== undefined && req.headers.cookie && origin !== `https://${req.headers.host}`;
    if (!target || crossSite) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  });
  transferWss.on('connection', (ws) =>
    serveTransfer(ws, {
      registry: app.transfers,
      idleMs: config.limits.idleSessionSeconds * 1000,
      log: log.child({ module: 'transfer' }),
      metrics,
    }),
  );

  const [host, port] = splitListen(config.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  app.publicUrl = config.publicUrl ?? `wss://${config.publicNames[0] ?? 'localhost'}:${actualPort}`;
  jobs.start(makeServerJobs(app));
  await scheduler.start();
  log.info(
    { listen: `${host}:${actualPort}`, fingerprint, publicUrl: app.publicUrl },
    `vrs-server listening; certificate ${fingerprint}`,
  );

  return {
    app,
    port: actualPort,
    url: `wss://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    async stop() {
      scheduler.stop();
      jobs.stop();
      trpc.broadcastReconnectNotification();
      for (const client of [...trpcWss.clients, ...transferWss.clients]) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.snapshots.settled(); // a mirror rebase under way ends before the catalog closes
      await closeCatalog();
    },
  };
}

/** Finishes what the last run left: mirror commits, then jobs, then the catalog against borg. */
async function recoverAtStart(app: App): Promise<void> {
  const finished = new Set<string>();
  for (const host of await app.catalog.host.findMany()) {
    const report = await app.repositories.mirror(host.id).recover();
    for (const f of report.finished) finished.add(f.session);
    if (report.finished.length + report.pending.length > 0)
      app.log.info({ host: host.id, ...report }, 'mirror recovered');
  }
  for (const job of await app.jobs.recoverAtStart(finished)) {
    try {
      const snapshot = await app.snapshots.archive(job.hostId as string, job.vmUuid as string, null);
      await app.jobs.succeed(job.id, { snapshotId: snapshot.id });
      app.log.info({ job: job.id }, 'snapshot committed before the last stop: archived now');
    } catch (error) {
      const e = error as ServerError;
      await app.jobs.fail(
        job.id,
        { code: e.code ?? 'INTERNAL', message: `archiving after a restart failed: ${e.message}` },
        false,
      );
    }
  }
  for (const repository of await app.repositories.all()) {
    await app.snapshots
      .reconcile(repository)
      .catch((error) => app.log.error({ err: error, repository: repository.name }, 'reconcile failed'));
  }
}

function splitListen(listen: string): [string, number] {
  const at = listen.lastIndexOf(':');
  return [listen.slice(0, at).replace(/^\[|\]$/g, ''), Number(listen.slice(at + 1))];
}
