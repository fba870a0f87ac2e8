import { TRPCClientError } from '@trpc/client';

/** An error as the console shows it: what happened, what to do next, and the domain code. */
export interface ShownError {
  code: string;
  message: string;
  hint: string;
}

/**
 * Takes anything thrown by a call; returns its message, hint and code. The server puts `{vrsCode, hint}` in
 * every tRPC error's data; a failed HTTP login carries `{code, message, hint}`.
 */
export function describeError(error: unknown): ShownError {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as { vrsCode?: string; hint?: string; code?: string };
    return {
      code: data.vrsCode ?? data.code ?? 'UNREACHABLE',
      message: error.message,
      hint: data.hint ?? 'Check that vrs-server is running and reachable, then reload the page.',
    };
  }
  if (error instanceof HttpError) return { code: error.code, message: error.message, hint: error.hint };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'CONSOLE', message, hint: 'Reload the page; if it happens again, look at the server log.' };
}

/** A refusal from the server's plain-HTTPS routes (`/auth/login`). */
export class HttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
