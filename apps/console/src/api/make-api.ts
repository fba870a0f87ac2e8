import { createTRPCClient, createWSClient, type TRPCClient, wsLink } from '@trpc/client';
import type { AppRouter } from '@vrs/repository-server';

/** The console's tRPC client over the page's own wss, and how to close its socket. */
export interface Api {
  trpc: TRPCClient<AppRouter>;
  close(): void;
}

/**
 * Returns a client on `wss://<this host>/trpc`. The browser sends the session cookie with the upgrade, and
 * the server decides who is calling once per socket: after logging in or out, make a new one.
 */
export function makeApi(): Api {
  const ws = createWSClient({
    url: `wss://${location.host}/trpc`,
    retryDelayMs: (attempt) => Math.min(5000, 250 * 2 ** attempt),
  });
  return { trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }), close: () => void ws.close() };
}
