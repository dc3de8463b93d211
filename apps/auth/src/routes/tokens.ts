import { Router } from 'express';
import { createTokenRequestSchema } from '@edd/api-contracts';
import { answerWithinTransaction, httpErrors, parseBody } from '@edd/http';
import type { AuthContext } from '../context';
import { listTokensForOwner, revokeToken } from '../data/api-tokens';
import { insertAuditEntry } from '../data/audit-log';
import { isPublicId } from '../domain/ids';
import { requireValidScopes } from '../domain/requested-scopes';
import { clientIp, param } from '../http/client-info';
import { tokenView } from '../http/views';
import { enqueueAuthEvents } from '../events/auth-events';
import { issueToken } from '../services/token-service';

/** Personal API tokens: POST/GET /api/tokens, DELETE /api/tokens/:id. Session only (never an API token). */
export function tokenRoutes(ctx: AuthContext): Router {
  const router = Router();

  router.post('/api/tokens', ctx.idempotent, async (req, res) => {
    const session = await ctx.sessions.require(req);
    const body = parseBody(createTokenRequestSchema, req.body);
    const scopes = requireValidScopes(body.scopes, session.user.publicId);
    let answer: unknown;
    await issueToken(ctx, {
      owner: session.user,
      name: body.name,
      expiresIn: body.expires_in,
      scopes,
      serviceAccountId: null,
      ip: clientIp(req),
      withinTransaction: async (client, { row, token }) => {
        answer = { ...tokenView(row), token };
        await answerWithinTransaction(res, client, 201, answer);
      },
    });
    // Set by the hook, which runs in the transaction that committed.
    res.status(201).json(answer);
  });

  router.get('/api/tokens', async (req, res) => {
    const session = await ctx.sessions.require(req);
    res.json((await listTokensForOwner(ctx.db, session.user.id)).map(tokenView));
  });

  router.delete('/api/tokens/:id', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const id = param(req, 'id');
    const revoked =
      isPublicId(id) &&
      (await ctx.db.tx(async (client) => {
        const done = await revokeToken(client, id, session.user.id);
        if (done) {
          await insertAuditEntry(client, {
            actor: session.user.publicId,
            action: 'token.revoke',
            target: id,
            ip: clientIp(req),
            outcome: 'success',
          });
          await enqueueAuthEvents(client, [{ type: 'auth.token.revoked', data: { tokenId: id, userId: session.user.publicId } }]);
        }
        return done;
      }));
    if (!revoked) throw httpErrors.notFound('token not found');
    res.json({ status: 'ok' });
  });

  return router;
}
