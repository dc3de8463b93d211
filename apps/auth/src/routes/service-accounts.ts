import { Router, type Request } from 'express';
import {
  createServiceAccountRequestSchema,
  createServiceAccountTokenRequestSchema,
  updateServiceAccountScopesSchema,
} from '@edd/api-contracts';
import { answerWithinTransaction, httpErrors, parseBody } from '@edd/http';
import type { AuthContext } from '../context';
import { listLiveTokenIds, listTokensForServiceAccount } from '../data/api-tokens';
import { insertAuditEntry } from '../data/audit-log';
import {
  deleteServiceAccount,
  findServiceAccount,
  insertServiceAccount,
  listServiceAccountsForOwner,
  updateServiceAccountScopes,
  type ServiceAccountRow,
} from '../data/service-accounts';
import { ID_LENGTH, isPublicId, randomId } from '../domain/ids';
import { requireValidScopes } from '../domain/requested-scopes';
import { enqueueAuthEvents, type AuthEvent } from '../events/auth-events';
import { noticeServiceAccountCreated } from '../events/auth-notices';
import { clientIp, param } from '../http/client-info';
import { serviceAccountView, tokenView } from '../http/views';
import type { AuthenticatedSession } from '../security/session-auth';
import { issueToken } from '../services/token-service';

function identityUpdated(account: ServiceAccountRow): AuthEvent {
  return {
    type: 'auth.identity.updated',
    data: { serviceAccountId: account.id, ownerId: account.ownerPublicId, name: account.name, scopes: account.scopes },
  };
}

/** Service accounts: an identity with scopes whose tokens inherit them. Session only. */
export function serviceAccountRoutes(ctx: AuthContext): Router {
  const router = Router();

  /** The caller's own account, or 404 (other users' accounts look missing). */
  async function ownAccount(req: Request, session: AuthenticatedSession): Promise<ServiceAccountRow> {
    const id = param(req, 'id');
    const account = isPublicId(id) ? await findServiceAccount(ctx.db, id, session.user.id) : undefined;
    if (!account) throw httpErrors.notFound('service account not found');
    return account;
  }

  router.post('/api/service-accounts', ctx.idempotent, async (req, res) => {
    const session = await ctx.sessions.require(req);
    const body = parseBody(createServiceAccountRequestSchema, req.body);
    const scopes = requireValidScopes(body.scopes, session.user.publicId);
    const account = await ctx.db.tx(async (client) => {
      const row = await insertServiceAccount(client, {
        id: randomId(ID_LENGTH.serviceAccount),
        ownerId: session.user.id,
        name: body.name,
        scopes,
      });
      await insertAuditEntry(client, {
        actor: session.user.publicId,
        action: 'service_account.create',
        target: row.id,
        ip: clientIp(req),
        outcome: 'success',
      });
      await enqueueAuthEvents(client, [identityUpdated(row)]);
      await noticeServiceAccountCreated(client, session.user.publicId, row);
      const view = serviceAccountView(row);
      await answerWithinTransaction(res, client, 201, view);
      return view;
    });
    res.status(201).json(account);
  });

  router.get('/api/service-accounts', async (req, res) => {
    const session = await ctx.sessions.require(req);
    res.json((await listServiceAccountsForOwner(ctx.db, session.user.id)).map(serviceAccountView));
  });

  router.get('/api/service-accounts/:id', async (req, res) => {
    const session = await ctx.sessions.require(req);
    res.json(serviceAccountView(await ownAccount(req, session)));
  });

  router.put('/api/service-accounts/:id/scopes', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const { id } = await ownAccount(req, session);
    const scopes = requireValidScopes(parseBody(updateServiceAccountScopesSchema, req.body).scopes, session.user.publicId);
    const account = await ctx.db.tx(async (client) => {
      const row = await updateServiceAccountScopes(client, id, session.user.id, scopes);
      if (row) {
        await insertAuditEntry(client, {
          actor: session.user.publicId,
          action: 'service_account.update_scopes',
          target: id,
          ip: clientIp(req),
          outcome: 'success',
        });
        await enqueueAuthEvents(client, [identityUpdated(row)]);
      }
      return row;
    });
    if (!account) throw httpErrors.notFound('service account not found');
    res.json({ status: 'ok', ...serviceAccountView(account) });
  });

  router.delete('/api/service-accounts/:id', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const { id } = await ownAccount(req, session);
    const tokenIds = await ctx.db.tx(async (client) => {
      const ids = await listLiveTokenIds(client, { serviceAccountId: id });
      if (!(await deleteServiceAccount(client, id, session.user.id))) return undefined;
      await insertAuditEntry(client, {
        actor: session.user.publicId,
        action: 'service_account.delete',
        target: id,
        ip: clientIp(req),
        outcome: 'success',
        details: { tokens_revoked: ids.length },
      });
      await enqueueAuthEvents(client, [
        { type: 'auth.identity.deleted', data: { serviceAccountId: id, ownerId: session.user.publicId } },
        ...ids.map((tokenId): AuthEvent => ({ type: 'auth.token.revoked', data: { tokenId, userId: session.user.publicId } })),
      ]);
      return ids;
    });
    if (!tokenIds) throw httpErrors.notFound('service account not found');
    res.json({ status: 'ok' });
  });

  router.post('/api/service-accounts/:id/tokens', ctx.idempotent, async (req, res) => {
    const session = await ctx.sessions.require(req);
    const account = await ownAccount(req, session);
    const body = parseBody(createServiceAccountTokenRequestSchema, req.body);
    let answer: unknown;
    await issueToken(ctx, {
      owner: session.user,
      name: body.name,
      expiresIn: body.expires_in,
      scopes: null,
      serviceAccountId: account.id,
      ip: clientIp(req),
      withinTransaction: async (client, { row, token }) => {
        answer = { ...tokenView(row), token };
        await answerWithinTransaction(res, client, 201, answer);
      },
    });
    // Set by the hook, which runs in the transaction that committed.
    res.status(201).json(answer);
  });

  router.get('/api/service-accounts/:id/tokens', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const account = await ownAccount(req, session);
    res.json((await listTokensForServiceAccount(ctx.db, account.id)).map(tokenView));
  });

  return router;
}
