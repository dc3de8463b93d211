import { Router } from 'express';
import { createUserRequestSchema } from '@edd/api-contracts';
import { httpErrors, parseBody } from '@edd/http';
import type { AuthContext } from '../context';
import { listAllActiveSessions } from '../data/sessions';
import { findUserByPublicId, listUsers } from '../data/users';
import { isAdminUser } from '../domain/admin';
import { isPublicId } from '../domain/ids';
import { passwordProblem } from '../domain/password';
import { clientIp, param } from '../http/client-info';
import { adminSessionView, userView } from '../http/views';
import { weakPassword } from '../http/weak-password';
import { createUser, removeUser } from '../services/user-service';

/** Admin-only user and session management (admin = ADMIN_USERNAME or the is_admin flag). */
export function adminRoutes(ctx: AuthContext): Router {
  const router = Router();
  const admin = ctx.config.ADMIN_USERNAME;

  router.get('/api/admin/users', async (req, res) => {
    await ctx.sessions.requireAdmin(req);
    res.json((await listUsers(ctx.db)).map((user) => userView(user, isAdminUser(user, admin))));
  });

  router.post('/api/admin/users', async (req, res) => {
    const session = await ctx.sessions.requireAdmin(req);
    const body = parseBody(createUserRequestSchema, req.body);
    const problem = passwordProblem(body.password);
    if (problem) throw weakPassword('password', problem);
    const user = await createUser(
      ctx,
      { username: body.username, password: body.password, displayName: body.display_name ?? body.username, isAdmin: body.is_admin },
      { actor: session.user.publicId, ip: clientIp(req) },
    );
    res.status(201).json(userView(user, isAdminUser(user, admin)));
  });

  router.delete('/api/admin/users/:id', async (req, res) => {
    const session = await ctx.sessions.requireAdmin(req);
    const id = param(req, 'id');
    const user = isPublicId(id) ? await findUserByPublicId(ctx.db, id) : undefined;
    if (!user) throw httpErrors.notFound('user not found');
    // Guards against locking everyone out: an admin cannot delete themself, nor the configured ADMIN_USERNAME.
    if (user.id === session.user.id) throw httpErrors.conflict('you cannot delete your own account');
    if (user.username === admin) throw httpErrors.conflict('the ADMIN_USERNAME user cannot be deleted');
    await removeUser(ctx, user, { actor: session.user.publicId, ip: clientIp(req) });
    res.json({ status: 'ok' });
  });

  router.get('/api/admin/sessions', async (req, res) => {
    await ctx.sessions.requireAdmin(req);
    res.json((await listAllActiveSessions(ctx.db)).map(adminSessionView));
  });

  return router;
}
