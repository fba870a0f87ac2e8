import { createTRPCClient, createWSClient, type TRPCClient, wsLink } from '@trpc/client';
import type { AppRouter } from '@vrs/repository-server';
import { makePinnedWebSocket } from './pinned-websocket.js';

/** A tRPC client of vrs-server over its pinned wss. */
export type VrsClient = TRPCClient<AppRouter>;

/** How to reach the server and who to be. */
export interface ConnectOptions {
  /** `wss://HOST:PORT` */
  server: string;
  fingerprint: string;
  /** A host's credential, a person's bearer token, or nothing (login, enrollment). */
  params: { host: string; credential: string } | { token: string } | Record<string, never>;
  onOpen?: () => void;
  onClose?: (code?: number) => void;
  /** Called with each socket error, e.g. a PinMismatchError. */
  onError?: (error: Error) => void;
  /** Reconnect delay: backoff with jitter by default (1 s doubling to 30 s, ±25%). */
  retryDelayMs?: (attempt: number) => number;
}

/** Takes an attempt number; returns the wait before it: 1 s doubling to 30 s, with ±25% jitter. */
export function backoffWithJitter(attempt: number): number {
  const base = Math.min(1000 * 2 ** attempt, 30_000);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * Takes the server, its pinned fingerprint and credentials; returns a tRPC client on `/trpc` that reconnects
 * by itself, and `close`. Credentials travel as connection params, never in the URL.
 */
export function connectVrs(o: ConnectOptions): { client: VrsClient; close: () => Promise<void> } {
  const ws = createWSClient({
    url: `${o.server.replace(/\/$/, '')}/trpc`,
    WebSocket: makePinnedWebSocket(o.fingerprint) as unknown as typeof globalThis.WebSocket,
    connectionParams: o.params as Record<string, string>,
    retryDelayMs: o.retryDelayMs ?? backoffWithJitter,
    keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 10_000 },
    ...(o.onOpen ? { onOpen: o.onOpen } : {}),
    onClose: (cause) => o.onClose?.(cause?.code),
    onError: (event) => {
      const error = (event as unknown as { error?: unknown })?.error;
      o.onError?.(error instanceof Error ? error : new Error('the connection to the server failed'));
    },
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  return { client, close: () => ws.close() };
}
