import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@vrs/repository-server';

/** Every procedure's output, as the console receives it (Dates arrive as ISO strings: no transformer). */
export type Outputs = inferRouterOutputs<AppRouter>;
/** Every procedure's input. */
export type Inputs = inferRouterInputs<AppRouter>;

export type Session = Outputs['auth']['whoami'];
export type Host = Outputs['hosts']['list'][number];
export type Vm = Outputs['vms']['list'][number];
export type Snapshot = Outputs['snapshots']['list'][number];
export type Job = Outputs['jobs']['list'][number];
export type JobProgress = Job['progress'];
export type Policy = Outputs['policies']['list'][number];
export type PrunePreview = Outputs['policies']['previewPrune'];
export type Retention = NonNullable<Inputs['policies']['previewPrune']['retention']>;
export type RepositoryStats = Outputs['repository']['stats'];
export type CheckResult = Outputs['repository']['checks'][number];
export type AuditEntry = Outputs['audit']['list'][number];
export type User = Outputs['users']['list'][number];
