import { createServer } from 'node:https';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  certificateFingerprint,
  hashPassword,
  hashSecret,
  LoginLimiter,
  makeCertificate,
  makeSecret,
  secretMatches,
  verifyPassword,
} from '../src/index.js';

describe('secrets and passwords', () => {
  it('make 256-bit secrets whose hash alone is stored and checked', () => {
    const { secret, hash } = makeSecret();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(hash).not.toContain(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(`${secret}x`, hash)).toBe(false);
    expect(secretMatches(secret, 'not hex')).toBe(false);
    expect(hashSecret('a')).toBe(hashSecret('a'));
  });

  it('hash passwords with scrypt, salted, and verify them', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('Correct horse battery staple', a)).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999$8$1$a$b')).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });
});

describe('the login limiter', () => {
  it('locks a key out after five failures in the window, and a success clears it', () => {
    let now = 0;
    const limiter = new LoginLimiter(undefined, () => now);
    for (let i = 0; i < 4; i++) limiter.fail('admin');
    expect(limiter.retryAfter('admin')).toBe(0);
    limiter.fail('admin');
    expect(limiter.retryAfter('admin')).toBe(15 * 60_000);
    now += 15 * 60_000;
    expect(limiter.retryAfter('admin')).toBe(0);
    for (let i = 0; i < 4; i++) limiter.fail('viewer');
    now += 11 * 60_000;
    limiter.fail('viewer');
    expect(limiter.retryAfter('viewer')).toBe(0);
    limiter.succeed('viewer');
  });
});

describe('the server certificate', () => {
  it('serves TLS, and a client sees exactly the fingerprint an agent pins', async () => {
    const { key, cert, fingerprint } = await makeCertificate({ dns: ['localhost'], ips: ['127.0.0.1'] });
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(certificateFingerprint(cert)).toBe(fingerprint);
    const server = createServer({ key, cert }, (_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const seen = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        resolve(certificateFingerprint(socket.getPeerX509Certificate()?.toString() ?? ''));
        socket.end();
      });
      socket.on('error', reject);
    });
    server.close();
    expect(seen).toBe(fingerprint);
  });
});
