import { initTRPC, type TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { type ErrorCode, hintFor, toTrpcCode, VrsError } from '@vrs/protocol';
import { ZodError } from 'zod';
import { ServerError } from '../app/server-error.js';
import type { Context } from './context.js';

/** What every error carries to clients, beside tRPC's code: the domain code and what to do next. */
export interface VrsErrorData {
  vrsCode: ErrorCode;
  hint: string;
}

/** Takes any error a procedure threw; returns its domain code, a message safe to show, and the hint. */
export function describeError(error: TRPCError): { code: ErrorCode; message: string; hint: string } {
  const cause = error.cause;
  if (cause instanceof VrsError) return { code: cause.code, message: cause.message, hint: cause.hint };
  if (cause instanceof ZodError) {
    const message = cause.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    return { code: 'INVALID_INPUT', message: `invalid input: ${message}`, hint: hintFor('INVALID_INPUT') };
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    return { code: 'INTERNAL', message: 'internal server error', hint: hintFor('INTERNAL') };
  }
  if (error.code === 'PAYLOAD_TOO_LARGE')
    return { code: 'FRAME_TOO_LARGE', message: error.message, hint: hintFor('FRAME_TOO_LARGE') };
  return { code: 'INVALID_INPUT', message: error.message, hint: hintFor('INVALID_INPUT') };
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const described = describeError(error);
    const trpcCode = error.cause instanceof VrsError ? toTrpcCode(described.code) : error.code;
    const data: typeof shape.data & VrsErrorData = {
      ...shape.data,
      code: trpcCode,
      httpStatus: shape.data.httpStatus,
      stack: undefined,
      vrsCode: described.code,
      hint: described.hint,
    };
    return { ...shape, code: TRPC_ERROR_CODES_BY_KEY[trpcCode], message: described.message, data };
  },
});

export const router = t.router;
export const middleware = t.middleware;

/** Anyone, even before logging in: login, enrollment. */
export const publicProcedure = t.procedure;

const requireUser = t.middleware(({ ctx, next }) => {
  if (ctx.actor.kind !== 'user') throw unauthenticated(ctx);
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** A person, admin or viewer: reads. */
export const viewerProcedure = t.procedure.use(requireUser);

/** An admin: every change. */
export const adminProcedure = viewerProcedure.use(({ ctx, next }) => {
  if (ctx.actor.role !== 'admin') throw new ServerError('FORBIDDEN', 'this needs the admin role');
  return next();
});

/** An enrolled host: its own VMs only, never deleting. */
export const hostProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.actor.kind !== 'host') {
    if (ctx.actor.kind === 'user') throw new ServerError('FORBIDDEN', 'only an enrolled host may call this');
    throw unauthenticated(ctx);
  }
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** A person or a host: reads and requests that a host may make for its own VMs. */
export const memberProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.actor.kind === 'anonymous') throw unauthenticated(ctx);
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

function unauthenticated(ctx: Context): TRPCError | ServerError {
  const reason = ctx.actor.kind === 'anonymous' ? ctx.actor.reason : null;
  return new ServerError('UNAUTHENTICATED', reason ?? 'log in first (or enroll this host)');
}
