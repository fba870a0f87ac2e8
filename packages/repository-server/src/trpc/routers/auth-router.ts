import { z } from 'zod';
import { audit } from '../../audit/audit.js';
import { endSession, login } from '../../auth/sessions.js';
import { publicProcedure, router, viewerProcedure } from '../trpc.js';

/** Logging in and out (bearer tokens for the CLI; the console's cookie comes from POST /auth/login). */
export const authRouter = router({
  login: publicProcedure
    .input(z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      const result = await login(ctx.app.catalog, ctx.app.limiter, { ...input, kind: 'bearer', remote: ctx.remote });
      await audit(ctx.app.catalog, `user:${result.session.userId}`, 'auth.login', `user:${result.session.userId}`, {
        kind: 'bearer',
        remote: ctx.remote,
      });
      return {
        token: result.token,
        expiresAt: result.expiresAt.toISOString(),
        name: result.session.name,
        role: result.session.role,
      };
    }),
  logout: viewerProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx.app.catalog, ctx.actor.sessionId);
    await audit(ctx.app.catalog, `user:${ctx.actor.id}`, 'auth.logout', `user:${ctx.actor.id}`);
    return { ok: true };
  }),
  whoami: publicProcedure.query(({ ctx }) => {
    const a = ctx.actor;
    if (a.kind === 'user') return { kind: 'user' as const, id: a.id, name: a.name, role: a.role };
    if (a.kind === 'host') return { kind: 'host' as const, id: a.id, name: a.name, role: null };
    return { kind: 'anonymous' as const, id: null, name: null, role: null };
  }),
});
