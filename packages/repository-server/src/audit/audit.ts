import type { Catalog } from '../catalog/open-catalog.js';

/** Who did something: `user:<id>`, `host:<id>` or `system`. */
export type ActorLabel = `user:${string}` | `host:${string}` | 'system';

/**
 * Takes the catalog, the actor, an action (e.g. `snapshots.delete`), its target and details (never secrets);
 * appends one entry to the audit log.
 */
export async function audit(
  catalog: Catalog,
  actor: ActorLabel,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await catalog.auditEntry.create({ data: { actor, action, target, details: JSON.stringify(details) } });
}
