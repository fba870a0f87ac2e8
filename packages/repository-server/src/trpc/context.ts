import type { IncomingMessage } from 'node:http';
import type { App } from '../app/app.js';
import { secretMatches } from '../auth/secret-hash.js';
import { findSession } from '../auth/sessions.js';
import type { Actor } from './actor.js';
import { ConnectionParams } from './connection-params.js';

/** The cookie the console's session travels in. */
export const SESSION_COOKIE = 'vrs_session';

/** What every procedure gets: the server, the caller, and the caller's address. */
export interface Context {
  app: App;
  actor: Actor;
  remote: string;
}

/** Takes a Cookie header; returns the console session token in it, if any. */
export function sessionCookie(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}

/**
 * Takes the server, the upgrade request and the connection params; returns the caller. A host credential is
 * checked against its stored hash (revoked hosts are refused), a bearer token or the session cookie against
 * the sessions. Bad credentials give an anonymous actor with the reason, so that every procedure but the
 * public ones answers UNAUTHENTICATED saying why.
 */
export async function resolveActor(app: App, req: IncomingMessage, params: unknown): Promise<Actor> {
  const parsed = ConnectionParams.safeParse(params ?? {});
  if (!parsed.success) return { kind: 'anonymous', reason: 'the connection parameters are malformed' };
  const given = parsed.data;
  if ('host' in given) {
    const host = await app.catalog.host.findUnique({ where: { id: given.host } });
    if (!host || !secretMatches(given.credential, host.credentialHash)) {
      return { kind: 'anonymous', reason: 'the host credential was not accepted' };
    }
    if (host.revokedAt) return { kind: 'anonymous', reason: 'this host was revoked by an admin' };
    return { kind: 'host', id: host.id, name: host.name };
  }
  const token = 'token' in given ? given.token : sessionCookie(req.headers.cookie);
  if (!token) return { kind: 'anonymous', reason: null };
  const session = await findSession(app.catalog, token);
  if (!session) return { kind: 'anonymous', reason: 'the session expired or was ended; log in again' };
  return { kind: 'user', id: session.userId, name: session.name, role: session.role, sessionId: session.sessionId };
}

/** Takes a request; returns the peer address. */
export function remoteOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
