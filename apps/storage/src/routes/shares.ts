import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createShareRequestSchema, type Share } from '@edd/api-contracts';
import { requireAuth } from '@edd/auth-client';
import { answerWithinTransaction, HttpError, parseBody } from '@edd/http';
import type { Express, Request } from 'express';
import type { StorageDeps } from '../context';
import { findFile } from '../data/files';
import { findNamespace } from '../data/namespaces';
import { findActiveShare, insertShare, listSharesOf, revokeShare, type ShareRow } from '../data/shares';
import { decideFileRead, storageScope } from '../domain/access';
import { assertAllowed } from '../domain/access-errors';
import { parseFilePath } from '../domain/names';
import { idempotentCreate } from './idempotent';
import { sendFile, setFileSecurityHeaders } from '../services/send-file';
import { newId } from '../services/ids';
import { requireTokenScope } from './namespaces';
import { principalOf } from './principal';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Share links: one file, for anyone holding the URL, until it expires or is revoked. The secret is in the link
 * only (shown once, stored as its sha256), never the user's own credentials.
 */
export function mountShareRoutes(app: Express, deps: StorageDeps): void {
  app.post('/storage/shares', requireAuth, idempotentCreate(deps), async (req, res) => {
    const principal = principalOf(req);
    const body = parseBody(createShareRequestSchema, req.body);
    const ns = await findNamespace(deps.db, body.namespace);
    // Sharing hands out read access: only the owner, with read on the files for a token.
    if (!ns || ns.ownerId !== principal.userId) throw new HttpError('not_found', 'namespace not found');
    assertAllowed(decideFileRead(principal, ns), 'read');
    requireTokenScope(req, storageScope(ns.ownerId, 'files', ns.name), 'read');
    const path = parseFilePath(body.path);
    if (!(await findFile(deps.db, ns.id, path))) throw new HttpError('not_found', 'file not found');
    const id = newId(16);
    const secret = randomBytes(32).toString('base64url');
    const share = await deps.db.tx(async (client) => {
      const times = await insertShare(client, {
        id,
        secretHash: sha256(secret),
        namespaceId: ns.id,
        path,
        ownerId: principal.userId,
        expiresInSeconds: body.expires_in,
      });
      const answer: Share = {
        id,
        namespace: ns.name,
        path,
        url: `${origin(deps, req)}/storage/s/${id}?t=${secret}`,
        expires_at: times.expiresAt.toISOString(),
        created_at: times.createdAt.toISOString(),
      };
      await answerWithinTransaction(res, client, 201, answer);
      return answer;
    });
    res.status(201).json(share);
  });

  app.get('/storage/shares', requireAuth, async (req, res) => {
    const principal = principalOf(req);
    requireTokenScope(req, storageScope(principal.userId, 'files'), 'read');
    const rows = await listSharesOf(deps.db, principal.userId);
    res.json({ shares: rows.map((row) => toShare(row, origin(deps, req))) });
  });

  app.delete('/storage/shares/:id', requireAuth, async (req, res) => {
    const principal = principalOf(req);
    requireTokenScope(req, storageScope(principal.userId, 'files'), 'update');
    if (!(await revokeShare(deps.db, String(req.params['id']), principal.userId))) throw new HttpError('not_found', 'share link not found');
    res.status(204).end();
  });

  // Anonymous by design: the secret is the credential. Every failure is the same 404, so a link reveals nothing.
  app.get('/storage/s/:id', async (req, res) => {
    setFileSecurityHeaders(res);
    const share = await findActiveShare(deps.db, String(req.params['id']));
    const secret = req.query['t'];
    if (!share || typeof secret !== 'string' || !secretMatches(share, secret)) throw linkGone();
    const file = await findFile(deps.db, share.namespaceId, share.path);
    if (!file) throw linkGone();
    await sendFile(deps, req, res, file, { download: true });
  });
}

function secretMatches(share: ShareRow, secret: string): boolean {
  const expected = Buffer.from(share.secretHash, 'hex');
  const actual = Buffer.from(sha256(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function linkGone(): HttpError {
  return new HttpError('not_found', 'this share link does not exist, has expired or was revoked');
}

function toShare(row: ShareRow, base: string): Share {
  return {
    id: row.id,
    namespace: row.namespace,
    path: row.path,
    url: `${base}/storage/s/${row.id}`,
    expires_at: row.expiresAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}

/** Where links point: STORAGE_PUBLIC_URL, else the origin the request came through (the gateway sets X-Forwarded-*). */
function origin(deps: StorageDeps, req: Request): string {
  if (deps.config.STORAGE_PUBLIC_URL) return deps.config.STORAGE_PUBLIC_URL.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
