import { TRPCClientError } from '@trpc/client';
import { type ErrorCode, VrsError } from '@vrs/protocol';
import { backoffWithJitter } from './vrs-client.js';

/** Takes an error from a tRPC call; returns whether the server answered it (else the link failed). */
export function isServerAnswer(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data !== undefined && error.data !== null;
}

/**
 * Takes an error from a tRPC call; returns it as a VrsError with the server's domain code, message and hint,
 * or FRAME_TRUNCATED for a lost link.
 */
export function toVrsError(error: unknown): VrsError {
  if (error instanceof VrsError) return error;
  if (isServerAnswer(error)) {
    const e = error as Error & { data: unknown };
    const data = e.data as { vrsCode?: ErrorCode; hint?: string };
    return new VrsError(data.vrsCode ?? 'INTERNAL', e.message, {
      cause: error,
      ...(data.hint ? { hint: data.hint } : {}),
    });
  }
  return new VrsError('FRAME_TRUNCATED', `the link to the server failed: ${(error as Error).message}`, {
    cause: error,
  });
}

/**
 * Takes a tRPC call and a deadline; runs it, and runs it again (backoff with jitter) while the link is down,
 * until the server answers or `deadlineMs` passes. Server errors are thrown at once, as VrsError.
 */
export async function callWithRetry<T>(
  call: () => Promise<T>,
  o: { deadlineMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const end = Date.now() + (o.deadlineMs ?? 120_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (isServerAnswer(error) || Date.now() > end || o.signal?.aborted) throw toVrsError(error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(backoffWithJitter(attempt), 5000)));
    }
  }
}
