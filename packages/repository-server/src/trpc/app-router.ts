import { agentRouter } from './routers/agent-router.js';
import { auditRouter } from './routers/audit-router.js';
import { authRouter } from './routers/auth-router.js';
import { hostsRouter } from './routers/hosts-router.js';
import { jobsRouter } from './routers/jobs-router.js';
import { policiesRouter } from './routers/policies-router.js';
import { repositoryRouter } from './routers/repository-router.js';
import { snapshotsRouter } from './routers/snapshots-router.js';
import { usersRouter } from './routers/users-router.js';
import { vmsRouter } from './routers/vms-router.js';
import { router } from './trpc.js';

/** Every procedure of vrs-server. Clients (agent, CLI, console) import its type only. */
export const appRouter = router({
  auth: authRouter,
  hosts: hostsRouter,
  vms: vmsRouter,
  snapshots: snapshotsRouter,
  jobs: jobsRouter,
  policies: policiesRouter,
  repository: repositoryRouter,
  audit: auditRouter,
  users: usersRouter,
  agent: agentRouter,
});

/** The router's type, for tRPC clients. */
export type AppRouter = typeof appRouter;

/** Returns every procedure of the router by its dotted path (e.g. `snapshots.take`) with its type. */
export function appRouterProcedures(): Record<string, 'query' | 'mutation' | 'subscription'> {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: 'query' | 'mutation' | 'subscription' } }
  >;
  return Object.fromEntries(Object.entries(procedures).map(([path, p]) => [path, p._def.type]));
}
