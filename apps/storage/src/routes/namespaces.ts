import { createNamespaceRequestSchema, updateNamespaceRequestSchema, type Namespace } from '@edd/api-contracts';
import { canAccess, requireAuth } from '@edd/auth-client';
import { answerWithinTransaction, HttpError, parseBody } from '@edd/http';
import { notification } from '@edd/events';
import { enqueueEvent } from '@edd/outbox';
import type { Express, Request } from 'express';
import type { StorageDeps } from '../context';
import { describeNamespace, findNamespace, insertNamespace, listNamespacesOf, markDeleting, setVisibility } from '../data/namespaces';
import { decideNamespaceChange, storageScope } from '../domain/access';
import { allowedNamespace } from '../domain/access-errors';
import { idempotentCreate } from './idempotent';
import { principalOf } from './principal';
import { purgeNamespace } from '../services/purge';
import { newId } from '../services/ids';

/** `/storage/namespaces`: a user's own buckets. */
export function mountNamespaceRoutes(app: Express, deps: StorageDeps): void {
  app.get('/storage/namespaces', requireAuth, async (req, res) => {
    const principal = principalOf(req);
    requireTokenScope(req, storageScope(principal.userId, 'namespaces'), 'read');
    res.json({ namespaces: await listNamespacesOf(deps.db, principal.userId) });
  });

  app.post('/storage/namespaces', requireAuth, idempotentCreate(deps), async (req, res) => {
    const principal = principalOf(req);
    const body = parseBody(createNamespaceRequestSchema, req.body);
    requireTokenScope(req, storageScope(principal.userId, 'namespaces', body.name), 'create');
    const answer = await deps.db.tx(async (client) => {
      const row = await insertNamespace(client, { id: newId(), name: body.name, ownerId: principal.userId, visibility: body.visibility });
      if (!row) return undefined;
      await enqueueEvent(client, 'storage.namespace.created', { namespace: row.name, ownerId: row.ownerId, visibility: row.visibility });
      const view = await describeNamespace(client, row.id);
      if (!view) throw new Error(`namespace ${row.id} vanished inside the transaction that created it`);
      await answerWithinTransaction(res, client, 201, view);
      return view;
    });
    if (!answer) throw new HttpError('conflict', `the namespace name "${body.name}" is taken`);
    res.status(201).json(answer);
  });

  app.put('/storage/namespaces/:name', requireAuth, async (req, res) => {
    const body = parseBody(updateNamespaceRequestSchema, req.body);
    const id = await deps.db.tx(async (client) => {
      const ns = await findNamespace(client, String(req.params['name']), { forUpdate: true });
      const row = allowedNamespace(decideNamespaceChange(req.principal, ns, 'update'), ns, 'update');
      if (row.visibility !== body.visibility) {
        await setVisibility(client, row.id, body.visibility);
        await enqueueEvent(client, 'storage.namespace.updated', { namespace: row.name, ownerId: row.ownerId, visibility: body.visibility });
      }
      return row.id;
    });
    res.json(await describe(deps, id));
  });

  app.delete('/storage/namespaces/:name', requireAuth, async (req, res) => {
    const id = await deps.db.tx(async (client) => {
      const ns = await findNamespace(client, String(req.params['name']), { forUpdate: true });
      const row = allowedNamespace(decideNamespaceChange(req.principal, ns, 'delete'), ns, 'delete');
      await markDeleting(client, row.id);
      await enqueueEvent(client, 'storage.namespace.deleted', { namespace: row.name, ownerId: row.ownerId, visibility: row.visibility });
      await enqueueEvent(
        client,
        'notify',
        notification(row.ownerId, {
          title: 'Namespace deleted',
          message: `The namespace ${row.name} and its files were deleted.`,
          category: 'storage',
          scope: row.name,
          link: '/storage',
        }),
      );
      return row.id;
    });
    // Gone for every reader from the commit on; a failed purge is finished by the next one (start-up).
    await purgeNamespace(deps.db, deps.blobs, id).catch((error: unknown) =>
      req.log.warn('namespace purge failed; retried at start-up', { namespaceId: id, error: String(error) }),
    );
    res.status(204).end();
  });
}

async function describe(deps: StorageDeps, id: string): Promise<Namespace> {
  const ns = await describeNamespace(deps.db, id);
  if (!ns) throw new HttpError('not_found', 'namespace not found');
  return ns;
}

/** Sessions act as their user; an API token needs the scope. */
export function requireTokenScope(req: Request, scope: string, action: 'create' | 'read' | 'update' | 'delete'): void {
  if (!canAccess(req.principal, scope, action)) throw new HttpError('scope_missing', `this API token lacks "${action}" on ${scope}`);
}
