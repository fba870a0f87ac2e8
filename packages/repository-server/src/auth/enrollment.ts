import { DisplayName, type HostOs } from '@vrs/protocol';
import type { z } from 'zod';
import { ServerError } from '../app/server-error.js';
import type { Catalog } from '../catalog/open-catalog.js';
import type { Repositories } from '../repos/repositories.js';
import { hashSecret, makeSecret } from './secret-hash.js';

/** The longest an enrollment token may live: 7 days. */
export const MAX_TOKEN_TTL_SECONDS = 7 * 86_400;

/** Takes a duration such as `90s`, `30m`, `1h` or `2d`; returns seconds. Throws INVALID_INPUT. */
export function parseTtl(text: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(text);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
  const seconds = match ? Number(match[1]) * unit[match[2] as keyof typeof unit] : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_TOKEN_TTL_SECONDS)) {
    throw new ServerError('INVALID_INPUT', `ttl ${JSON.stringify(text)} is not a duration of 1s to 7d`, {
      hint: 'Write it as e.g. 30m, 1h or 2d.',
    });
  }
  return seconds;
}

/**
 * Takes the catalog, the name the host will have and a lifetime; returns a one-time enrollment token (shown
 * once; only its hash is stored) and its expiry.
 */
export async function createEnrollmentToken(
  catalog: Catalog,
  hostName: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  DisplayName.parse(hostName);
  const { secret, hash } = makeSecret();
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await catalog.enrollmentToken.create({ data: { tokenHash: hash, hostName, expiresAt } });
  return { token: secret, expiresAt };
}

/** Takes the server's public URL, a token and the certificate fingerprint; returns the exact line a host runs. */
export function enrollCommand(serverUrl: string, token: string, fingerprint: string): string {
  return `vrs-agent enroll --server ${serverUrl} --token ${token} --fingerprint ${fingerprint}`;
}

/**
 * Takes the catalog, the repositories, a presented token and what the agent says of itself; spends the token
 * (once: a second use is refused even when two arrive together), creates the host with a new 256-bit
 * credential (only its hash is stored) and its borg repository. Returns the host id, name and credential.
 * Throws TOKEN_USED, TOKEN_EXPIRED or UNAUTHENTICATED (unknown token).
 */
export async function enrollHost(
  catalog: Catalog,
  repositories: Repositories,
  o: { token: string; os: z.infer<typeof HostOs>; agentVersion: string; virtualBoxVersion: string | null },
): Promise<{ hostId: string; name: string; credential: string }> {
  const row = await catalog.enrollmentToken.findUnique({ where: { tokenHash: hashSecret(o.token) } });
  if (!row) throw new ServerError('UNAUTHENTICATED', 'this enrollment token is not known to the server');
  if (row.usedAt) throw new ServerError('TOKEN_USED', 'this enrollment token was already used');
  if (row.expiresAt <= new Date()) throw new ServerError('TOKEN_EXPIRED', 'this enrollment token has expired');
  const spent = await catalog.enrollmentToken.updateMany({
    where: { id: row.id, usedAt: null },
    data: { usedAt: new Date() },
  });
  if (spent.count !== 1) throw new ServerError('TOKEN_USED', 'this enrollment token was already used');
  const { secret, hash } = makeSecret();
  const host = await catalog.host.create({
    data: {
      name: row.hostName,
      os: o.os,
      agentVersion: o.agentVersion,
      virtualBoxVersion: o.virtualBoxVersion,
      credentialHash: hash,
    },
  });
  try {
    await repositories.create(host.id);
  } catch (error) {
    await catalog.host.delete({ where: { id: host.id } });
    await catalog.enrollmentToken.update({ where: { id: row.id }, data: { usedAt: null } });
    throw error;
  }
  return { hostId: host.id, name: host.name, credential: secret };
}
