import { ServerError } from '../app/server-error.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { Role } from '../users/users.js';
import type { LoginLimiter } from './login-limiter.js';
import { verifyPassword } from './password.js';
import { hashSecret, makeSecret } from './secret-hash.js';

/** How long a login lasts: console cookies a day, CLI bearer tokens thirty days. */
export const SESSION_TTL_MS = { cookie: 24 * 3600_000, bearer: 30 * 24 * 3600_000 } as const;

/** A verified login. */
export interface UserSession {
  sessionId: string;
  userId: string;
  name: string;
  role: Role;
}

/** A scrypt hash of a random password: compared when the user is unknown, so timing does not tell names apart. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Takes the catalog, the limiter, a name, a password, the session kind and the caller's address; returns a
 * new session token (shown once; only its hash is stored). Failures count against the name and the address
 * (rate limit, then lockout). Throws RATE_LIMITED or UNAUTHENTICATED (never saying which part was wrong).
 */
export async function login(
  catalog: Catalog,
  limiter: LoginLimiter,
  o: { name: string; password: string; kind: 'cookie' | 'bearer'; remote: string },
): Promise<{ token: string; expiresAt: Date; session: UserSession }> {
  const keys = [`name:${o.name}`, `addr:${o.remote}`];
  const wait = Math.max(...keys.map((k) => limiter.retryAfter(k)));
  if (wait > 0) {
    throw new ServerError('RATE_LIMITED', `too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
  }
  const user = await catalog.user.findUnique({ where: { name: o.name } });
  const ok = await verifyPassword(o.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    for (const key of keys) limiter.fail(key);
    if (user) await catalog.user.update({ where: { id: user.id }, data: { failedLogins: { increment: 1 } } });
    throw new ServerError('UNAUTHENTICATED', 'wrong user name or password');
  }
  for (const key of keys) limiter.succeed(key);
  const { secret, hash } = makeSecret();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS[o.kind]);
  const row = await catalog.session.create({ data: { tokenHash: hash, userId: user.id, kind: o.kind, expiresAt } });
  if (user.failedLogins > 0) await catalog.user.update({ where: { id: user.id }, data: { failedLogins: 0 } });
  return {
    token: secret,
    expiresAt,
    session: { sessionId: row.id, userId: user.id, name: user.name, role: Role.parse(user.role) },
  };
}

/** Takes the catalog and a presented session token; returns its session, or null when unknown or expired. */
export async function findSession(catalog: Catalog, token: string): Promise<UserSession | null> {
  if (token.length < 16 || token.length > 200) return null;
  const row = await catalog.session.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!row || row.expiresAt <= new Date()) return null;
  return { sessionId: row.id, userId: row.userId, name: row.user.name, role: Role.parse(row.user.role) };
}

/** Takes the catalog and a session id; ends that session. */
export async function endSession(catalog: Catalog, sessionId: string): Promise<void> {
  await catalog.session.deleteMany({ where: { id: sessionId } });
}
