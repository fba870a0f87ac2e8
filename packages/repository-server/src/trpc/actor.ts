import type { ActorLabel } from '../audit/audit.js';
import type { Role } from '../users/users.js';

/** Who is calling: nobody yet, a person (admin or viewer), or an enrolled host. */
export type Actor =
  | { kind: 'anonymous'; reason: string | null }
  | { kind: 'user'; id: string; name: string; role: Role; sessionId: string }
  | { kind: 'host'; id: string; name: string };

/** Takes an actor; returns how the audit log names it. */
export function actorLabel(actor: Actor): ActorLabel {
  if (actor.kind === 'user') return `user:${actor.id}`;
  if (actor.kind === 'host') return `host:${actor.id}`;
  return 'system';
}
