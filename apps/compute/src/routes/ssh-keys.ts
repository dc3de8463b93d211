import { addSshKeyRequestSchema, type SshKey } from '@edd/api-contracts';
import { answerWithinTransaction, HttpError, parseBody } from '@edd/http';
import { enqueueEvent } from '@edd/outbox';
import type { Express } from 'express';
import type { ComputeDeps } from '../context';
import { listContainersOf, listContainersTrusting } from '../data/containers';
import { countSshKeys, deleteSshKey, insertSshKey, listSshKeys, trustKeys, type SshKeyRow } from '../data/ssh-keys';
import { MAX_SSH_KEYS_PER_USER } from '../domain/limits';
import { parseSshPublicKey } from '../domain/ssh-key';
import { pushAuthorizedKeys } from '../services/authorized-keys';
import { newKeyId } from '../services/ids';
import { principalOf, requireComputeScope } from './guards';
import { idempotentCreate } from './idempotent';

const view = (key: SshKeyRow): SshKey => ({
  id: key.id,
  name: key.name,
  public_key: key.publicKey,
  type: key.keyType,
  bits: key.bits,
  fingerprint: key.fingerprint,
  created_at: key.createdAt.toISOString(),
});

/**
 * `/compute/ssh-keys`. A new key is trusted by all of its owner's containers (decision: adding a key is how a user
 * gets into their containers from a new machine); a removed key leaves every container. Running containers get the
 * new authorized_keys within seconds, without a restart.
 */
export function mountSshKeyRoutes(app: Express, deps: ComputeDeps): void {
  app.get('/compute/ssh-keys', requireComputeScope('keys', 'read'), async (req, res) => {
    res.json({ ssh_keys: (await listSshKeys(deps.db, principalOf(req).userId)).map(view) });
  });

  app.post('/compute/ssh-keys', requireComputeScope('keys', 'create'), idempotentCreate(deps), async (req, res) => {
    const ownerId = principalOf(req).userId;
    const body = parseBody(addSshKeyRequestSchema, req.body);
    const parsed = parseSshPublicKey(body.public_key);
    if (!parsed.ok) throw new HttpError('invalid_request', `public_key: ${parsed.error}`);
    const { answer, containers } = await deps.db.tx(async (client) => {
      // The same per-user lock as container creation: two concurrent adds cannot both pass the limit.
      await client.query('INSERT INTO compute_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING', [ownerId]);
      await client.query('SELECT 1 FROM compute_users WHERE user_id = $1 FOR UPDATE', [ownerId]);
      if ((await countSshKeys(client, ownerId)) >= MAX_SSH_KEYS_PER_USER) {
        throw new HttpError('conflict', `ssh key limit: at most ${MAX_SSH_KEYS_PER_USER} keys per user`);
      }
      const key = await insertSshKey(client, {
        id: newKeyId(),
        ownerId,
        name: body.name,
        publicKey: parsed.key.line,
        keyType: parsed.key.type,
        bits: parsed.key.bits,
        fingerprint: parsed.key.fingerprint,
      });
      if (!key) throw new HttpError('conflict', `you already added this key (${parsed.key.fingerprint})`);
      const containers = (await listContainersOf(client, ownerId)).map((c) => c.id);
      for (const id of containers) await trustKeys(client, id, [key.id]);
      await enqueueEvent(client, 'compute.sshkey.added', { userId: ownerId, keyId: key.id, fingerprint: key.fingerprint });
      const answer = view(key);
      await answerWithinTransaction(res, client, 201, answer);
      return { answer, containers };
    });
    void pushAuthorizedKeys(deps, containers);
    res.status(201).json(answer);
  });

  app.delete('/compute/ssh-keys/:id', requireComputeScope('keys', 'delete', true), async (req, res) => {
    const ownerId = principalOf(req).userId;
    const id = String(req.params['id']);
    const containers = await deps.db.tx(async (client) => {
      const containers = await listContainersTrusting(client, id);
      const key = await deleteSshKey(client, ownerId, id);
      if (!key) throw new HttpError('not_found', 'ssh key not found');
      await enqueueEvent(client, 'compute.sshkey.removed', { userId: ownerId, keyId: key.id, fingerprint: key.fingerprint });
      return containers;
    });
    void pushAuthorizedKeys(deps, containers);
    res.status(204).end();
  });
}
