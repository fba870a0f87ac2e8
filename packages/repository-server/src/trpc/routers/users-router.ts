import { z } from 'zod';
import { audit } from '../../audit/audit.js';
import { addUser, listUsers, Password, Role, removeUser, setPassword, UserName } from '../../users/users.js';
import { actorLabel } from '../actor.js';
import { adminProcedure, router } from '../trpc.js';

/** People who may log in (admins only). */
export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.app.catalog)),
  add: adminProcedure
    .input(z.object({ name: UserName, role: Role, password: Password }))
    .mutation(async ({ ctx, input }) => {
      const user = await addUser(ctx.app.catalog, input.name, input.role, input.password);
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'users.add', `user:${user.id}`, {
        name: user.name,
        role: user.role,
      });
      return user;
    }),
  setPassword: adminProcedure
    .input(z.object({ name: UserName, password: Password }))
    .mutation(async ({ ctx, input }) => {
      await setPassword(ctx.app.catalog, input.name, input.password);
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'users.setPassword', `user-name:${input.name}`);
      return { ok: true };
    }),
  remove: adminProcedure.input(z.object({ name: UserName })).mutation(async ({ ctx, input }) => {
    await removeUser(ctx.app.catalog, input.name);
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'users.remove', `user-name:${input.name}`);
    return { ok: true };
  }),
});
