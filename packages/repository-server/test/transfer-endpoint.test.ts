import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake3 } from '@napi-rs/blake-hash';
import { encodeFrame, FRAME_HEADER_LENGTH, TransferServerMessage } from '@vrs/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { MirrorStore, TransferSession } from '../src/index.js';
import { Metrics } from '../src/observability/metrics.js';
import { MAX_PENDING_FRAMES, serveTransfer, type TransferStats } from '../src/transfer/transfer-endpoint.js';
import { TransferRegistry } from '../src/transfer/transfer-registry.js';
import { DISK, VM } from './helpers/mirror-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vrs-endpoint-'));
const store = new MirrorStore(join(dir, 'mirrors'));
const registry = new TransferRegistry();
const metrics = new Metrics();
const stats: TransferStats[] = [];
let server: Server;
let url: string;
const MAX_PAYLOAD = 2 * 1024 * 1024 + 128;

beforeAll(async () => {
  server = createServer();
  const wss = new WebSocketServer({ server, maxPayload: MAX_PAYLOAD });
  wss.on('connection', (ws) =>
    stats.push(serveTransfer(ws, { registry, idleMs: 1500, log: pino({ level: 'silent' }), metrics })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

let jobs = 0;
/** Opens a snapshot transfer for a new job; returns its id and token. */
function openJob(): { job: string; token: string; session: TransferSession } {
  const job = `00000000-0000-4000-8000-${String(++jobs).padStart(12, '0')}`;
  const session = new TransferSession(store, VM, job, new Set([DISK]), { maxLength: 2 * 1024 * 1024 });
  return { job, token: registry.open({ jobId: job, hostId: VM, mode: 'snapshot', session }), session };
}

/** A connected client that collects the server's text messages and the close code. */
async function client() {
  const ws = new WebSocket(`${url}/transfer`);
  const messages: TransferServerMessage[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data, binary) => {
    if (!binary) messages.push(TransferServerMessage.parse(JSON.parse(String(data))));
  });
  await new Promise((resolve) => ws.once('open', resolve));
  const next = async (type: TransferServerMessage['type']) => {
    for (let i = 0; i < 400; i++) {
      const found = messages.find((m) => m.type === type);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${type} message; got ${JSON.stringify(messages)}`);
  };
  return { ws, messages, closed, next };
}

const cell = (position: number, bytes: Buffer) =>
  encodeFrame({ type: 'data', disk: DISK, position, hash: blake3(bytes), payload: bytes });

describe('the transfer endpoint', () => {
  it('stages every frame, answers flush after all of them, and keeps at most a few frames waiting', async () => {
    const { job, token, session } = openJob();
    const c = await client();
    c.ws.send(JSON.stringify({ type: 'hello', job, token }));
    expect(await c.next('ready')).toEqual({ type: 'ready', mode: 'snapshot', staged: { [DISK]: [] } });
    const cells = Array.from({ length: 60 }, () => randomBytes(1024 * 1024));
    for (const [i, bytes] of cells.entries()) c.ws.send(cell(i, bytes));
    c.ws.send(JSON.stringify({ type: 'flush', seq: 1 }));
    expect(await c.next('flushed')).toEqual({ type: 'flushed', seq: 1, frames: 60 });
    const staged = (await session.resumeState())[DISK];
    expect(staged).toEqual(cells.map((_, i) => i));
    expect(stats.at(-1)?.maxPending).toBeLessThanOrEqual(MAX_PENDING_FRAMES + 1);
    c.ws.close();
  });

  it('tells a reconnecting client what is staged, with hashes', async () => {
    const { job, token } = openJob();
    const bytes = randomBytes(4096);
    const first = await client();
    first.ws.send(JSON.stringify({ type: 'hello', job, token }));
    await first.next('ready');
    first.ws.send(cell(7, bytes));
    first.ws.send(JSON.stringify({ type: 'flush', seq: 1 }));
    await first.next('flushed');
    first.ws.terminate();
    const again = await client();
    again.ws.send(JSON.stringify({ type: 'hello', job, token }));
    expect(await again.next('ready')).toMatchObject({
      staged: { [DISK]: [[7, Buffer.from(blake3(bytes)).toString('hex')]] },
    });
    again.ws.close();
  });

  it.each([
    [
      'a wrong token',
      (job: string) => JSON.stringify({ type: 'hello', job, token: 'x'.repeat(43) }),
      'UNAUTHENTICATED',
    ],
    ['a frame before hello', () => cell(0, randomBytes(64)), 'UNAUTHENTICATED'],
    ['text that is not JSON', () => 'hello?', 'FRAME_MALFORMED'],
    ['an unknown message', () => JSON.stringify({ type: 'gimme' }), 'FRAME_MALFORMED'],
  ])('refuses %s with a clear error and closes', async (_what, message, code) => {
    const { job } = openJob();
    const c = await client();
    c.ws.send(message(job));
    expect(await c.next('error')).toMatchObject({ code });
    expect(await c.closed).toBe(1008);
  });

  it.each([
    ['a frame with a wrong hash', (f: Uint8Array) => f.fill(7, 40, 72), 'BLOCK_HASH_MISMATCH'],
    ['a truncated frame', (f: Uint8Array) => f.subarray(0, f.length - 10), 'FRAME_TRUNCATED'],
    ['a frame with bad magic', (f: Uint8Array) => f.fill(0, 0, 2), 'FRAME_MALFORMED'],
    ['a frame for a disk outside the job', (f: Uint8Array) => f.fill(0x11, 8, 24), 'INVALID_INPUT'],
    ['a header alone', (f: Uint8Array) => f.subarray(0, FRAME_HEADER_LENGTH - 1), 'FRAME_TRUNCATED'],
  ])('refuses %s, stages nothing, and closes', async (_what, damage, code) => {
    const { job, token, session } = openJob();
    const c = await client();
    c.ws.send(JSON.stringify({ type: 'hello', job, token }));
    await c.next('ready');
    c.ws.send(damage(cell(3, randomBytes(8192))));
    expect(await c.next('error')).toMatchObject({ code });
    expect(await c.closed).toBe(1008);
    expect((await session.resumeState())[DISK]).toEqual([]);
  });

  it('closes the socket when a message is larger than the limit', async () => {
    const { job, token, session } = openJob();
    const c = await client();
    c.ws.send(JSON.stringify({ type: 'hello', job, token }));
    await c.next('ready');
    c.ws.send(Buffer.alloc(MAX_PAYLOAD + 1));
    expect(await c.closed).toBe(1009);
    expect((await session.resumeState())[DISK]).toEqual([]);
  });

  it('closes an idle socket', async () => {
    const { job, token } = openJob();
    const c = await client();
    c.ws.send(JSON.stringify({ type: 'hello', job, token }));
    await c.next('ready');
    expect(await c.closed).toBe(4000);
  });
});
