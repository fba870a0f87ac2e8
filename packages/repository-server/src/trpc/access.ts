import { ServerError } from '../app/server-error.js';
import type { Actor } from './actor.js';

/**
 * Takes the caller and the host a thing belongs to; allows people (admins and viewers see everything) and
 * the owning host. Throws FORBIDDEN_HOST for another host, saying nothing of the thing itself.
 */
export function requireAccess(actor: Actor, ownerHostId: string | null): void {
  if (actor.kind === 'user') return;
  if (actor.kind === 'host' && ownerHostId === actor.id) return;
  throw new ServerError('FORBIDDEN_HOST', 'this belongs to another host', {
    hint: 'A host may act only on its own VMs.',
  });
}

/**
 * Takes the caller; allows admins and hosts (for their own VMs, checked by the caller with requireAccess).
 * Viewers change nothing: throws FORBIDDEN.
 */
export function requireActor(actor: Actor): asserts actor is Exclude<Actor, { kind: 'anonymous' }> {
  if (actor.kind === 'user' && actor.role !== 'admin') {
    throw new ServerError('FORBIDDEN', 'viewers cannot change anything', { hint: 'Ask an admin.' });
  }
}

/** Takes the caller; returns the filter that limits a listing to what it may see (a host: its own). */
export function hostFilter(actor: Actor): { hostId?: string } {
  return actor.kind === 'host' ? { hostId: actor.id } : {};
}
