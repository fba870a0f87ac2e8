import type { Page } from 'playwright-core';

/** What the server answered a raw tRPC call with. */
export interface RawAnswer {
  ok: boolean;
  vrsCode: string | null;
  message: string | null;
}

/**
 * Takes a logged-in page, a procedure path and its input; opens a WebSocket to `/trpc` from inside the page
 * (so the browser sends its session cookie, as the console would) and sends the call as a tRPC mutation,
 * bypassing the UI. Returns whether it succeeded and, when refused, the server's domain code and message.
 */
export function forceMutation(page: Page, path: string, input: unknown): Promise<RawAnswer> {
  return page.evaluate(
    ({ path, input }) =>
      new Promise<RawAnswer>((resolve, reject) => {
        const ws = new WebSocket(`wss://${location.host}/trpc`);
        const timer = setTimeout(() => reject(new Error(`no answer to ${path}`)), 15_000);
        ws.onerror = () => reject(new Error(`the socket for ${path} failed`));
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'mutation', params: { path, input } }));
        ws.onmessage = (event) => {
          const msg = JSON.parse(String(event.data)) as {
            id: number | null;
            result?: unknown;
            error?: { message: string; data?: { vrsCode?: string } };
          };
          if (msg.id !== 1) return;
          clearTimeout(timer);
          ws.close();
          resolve(
            msg.error
              ? { ok: false, vrsCode: msg.error.data?.vrsCode ?? null, message: msg.error.message }
              : { ok: true, vrsCode: null, message: null },
          );
        };
      }),
    { path, input },
  );
}
