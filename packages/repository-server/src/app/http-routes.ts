import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import { endSession, findSession, login, SESSION_TTL_MS } from '../auth/sessions.js';
import { remoteOf, SESSION_COOKIE, sessionCookie } from '../trpc/context.js';
import type { App } from './app.js';
import { ServerError } from './server-error.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const LoginBody = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

/**
 * The plain HTTPS side of the server: `/healthz`, `/metrics` (Prometheus), `POST /auth/login` and
 * `/auth/logout` (the console's session cookie: HttpOnly, Secure, SameSite=Strict), and the console's files
 * at `/` (any other path without a file gets index.html, for the console's routes).
 */
export async function handleHttp(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://vrs');
  res.setHeader('x-content-type-options', 'nosniff');
  try {
    if (url.pathname === '/healthz') {
      return json(res, 200, { status: 'ok', hostsOnline: app.hub.onlineHosts().length });
    }
    if (url.pathname === '/metrics') {
      app.metrics.hostsOnline.set(app.hub.onlineHosts().length);
      res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
      return void res.end(await app.metrics.registry.metrics());
    }
    if (url.pathname === '/auth/login' && req.method === 'POST') return await cookieLogin(app, req, res);
    if (url.pathname === '/auth/logout' && req.method === 'POST') return await cookieLogout(app, req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    return await serveConsole(app, url.pathname, res);
  } catch (error) {
    const known = error instanceof ServerError;
    if (!known) app.log.error({ err: error }, 'http request failed');
    const status =
      known && error.code === 'RATE_LIMITED'
        ? 429
        : known && error.code === 'UNAUTHENTICATED'
          ? 401
          : known
            ? 400
            : 500;
    return json(
      res,
      status,
      known
        ? { code: error.code, message: error.message, hint: error.hint }
        : { code: 'INTERNAL', message: 'internal error' },
    );
  }
}

async function cookieLogin(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = LoginBody.safeParse(await readJson(req));
  if (!parsed.success) throw new ServerError('INVALID_INPUT', 'send {"name": …, "password": …}');
  const result = await login(app.catalog, app.limiter, { ...parsed.data, kind: 'cookie', remote: remoteOf(req) });
  await audit(app.catalog, `user:${result.session.userId}`, 'auth.login', `user:${result.session.userId}`, {
    kind: 'cookie',
    remote: remoteOf(req),
  });
  const maxAge = Math.floor(SESSION_TTL_MS.cookie / 1000);
  res.setHeader(
    'set-cookie',
    `${SESSION_COOKIE}=${result.token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAge}`,
  );
  json(res, 200, { name: result.session.name, role: result.session.role, expiresAt: result.expiresAt.toISOString() });
}

async function cookieLogout(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = sessionCookie(req.headers.cookie);
  const session = token ? await findSession(app.catalog, token) : null;
  if (session) {
    await endSession(app.catalog, session.sessionId);
    await audit(app.catalog, `user:${session.userId}`, 'auth.logout', `user:${session.userId}`);
  }
  res.setHeader('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
  json(res, 200, { ok: true });
}

async function serveConsole(app: App, pathname: string, res: ServerResponse): Promise<void> {
  const root = app.config.consoleDir;
  if (!root) return json(res, 404, { error: 'the console is not installed on this server' });
  const wanted = normalize(join(root, decodeURIComponent(pathname)));
  if (wanted !== root && !wanted.startsWith(root.endsWith(sep) ? root : root + sep))
    return json(res, 404, { error: 'not found' });
  const file = (await isFile(wanted)) ? wanted : join(root, 'index.html');
  if (!(await isFile(file))) return json(res, 404, { error: 'not found' });
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
    'content-security-policy':
      "default-src 'self'; connect-src 'self' wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  });
  createReadStream(file).pipe(res);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4096) throw new ServerError('INVALID_INPUT', 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ServerError('INVALID_INPUT', 'the request body is not JSON');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
