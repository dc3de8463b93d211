import { ingressRuleRequestSchema, mountsRequestSchema, pullPolicyRequestSchema, sshSettingRequestSchema } from '@edd/api-contracts';
import { answerWithinTransaction, HttpError, parseBody } from '@edd/http';
import type { Queryable } from '@edd/outbox';
import type { Express } from 'express';
import type { ComputeDeps } from '../context';
import { updateSettings } from '../data/containers';
import { deleteIngressRule, listIngressRules, upsertIngressRule } from '../data/ingress';
import { findSshKeys, replaceTrustedKeys, trustedKeys } from '../data/ssh-keys';
import { pushAuthorizedKeys } from '../services/authorized-keys';
import { checkMountPaths, isAllowedExternalPort, MAX_INGRESS_RULES } from '../domain/limits';
import { enqueueContainerEvent } from '../services/container-events';
import { ingressView } from '../services/container-view';
import { containerIdOf, principalOf, requireComputeScope } from './guards';
import { owned } from './containers';
import { idempotentCreate } from './idempotent';

/** A container's settings: pull policy, SSH on/off, mount paths and ingress rules (all 404 for others' containers). */
export function mountContainerSettingRoutes(app: Express, deps: ComputeDeps): void {
  const read = requireComputeScope('containers', 'read', true);
  const update = requireComputeScope('containers', 'update', true);

  app.put('/compute/containers/:id/pull-policy', update, async (req, res) => {
    const body = parseBody(pullPolicyRequestSchema, req.body);
    await change(deps, principalOf(req).userId, containerIdOf(req), { pullPolicy: body.pull_policy });
    res.json({ pull_policy: body.pull_policy });
  });

  app.get('/compute/containers/:id/ssh', read, async (req, res) => {
    const row = await owned(deps, principalOf(req).userId, containerIdOf(req));
    res.json({ ssh_enabled: row.sshEnabled, ssh_key_ids: (await trustedKeys(deps.db, row.id)).map((k) => k.id) });
  });

  app.put('/compute/containers/:id/ssh', update, async (req, res) => {
    const body = parseBody(sshSettingRequestSchema, req.body);
    const ownerId = principalOf(req).userId;
    const keyIds = body.ssh_key_ids && [...new Set(body.ssh_key_ids)];
    const id = containerIdOf(req);
    await change(deps, ownerId, id, { sshEnabled: body.ssh_enabled }, async (client) => {
      if (!keyIds) return;
      const keys = await findSshKeys(client, ownerId, keyIds);
      const missing = keyIds.filter((k) => !keys.some((key) => key.id === k));
      if (missing.length) throw new HttpError('invalid_request', `ssh_key_ids: no such key of yours: ${missing.join(', ')}`);
      await replaceTrustedKeys(client, id, keyIds);
    });
    // A running container gets its new authorized_keys now, without waiting for the reconciler's apply.
    if (keyIds) await pushAuthorizedKeys(deps, [id]);
    res.json({ ssh_enabled: body.ssh_enabled, ssh_key_ids: (await trustedKeys(deps.db, id)).map((k) => k.id) });
  });

  app.get('/compute/containers/:id/mounts', read, async (req, res) => {
    res.json({ mount_paths: (await owned(deps, principalOf(req).userId, containerIdOf(req))).mountPaths });
  });

  app.put('/compute/containers/:id/mounts', update, async (req, res) => {
    const body = parseBody(mountsRequestSchema, req.body);
    const mounts = checkMountPaths(body.mount_paths);
    if (!mounts.ok) throw new HttpError('invalid_request', mounts.error);
    const row = await change(deps, principalOf(req).userId, containerIdOf(req), { mountPaths: mounts.value });
    // The reconciler's apply re-creates a running container with the new mounts (data under kept paths stays).
    res.json({ mount_paths: row.mountPaths, restarted: row.status === 'running' });
  });

  app.get('/compute/containers/:id/ingress', read, async (req, res) => {
    const row = await owned(deps, principalOf(req).userId, containerIdOf(req));
    res.json({ rules: (await listIngressRules(deps.db, row.id)).map((r) => ingressView(deps.config, r)) });
  });

  // An upsert: a retry without the key would not add a second rule, but would answer 200 instead of the 201 it lost
  // and publish `updated` again; with the key it gets the first answer and changes nothing.
  app.post('/compute/containers/:id/ingress', update, idempotentCreate(deps), async (req, res) => {
    const body = parseBody(ingressRuleRequestSchema, req.body);
    if (!isAllowedExternalPort(body.port)) throw new HttpError('invalid_request', 'external port not allowed: use 80, 443 or 8000-8999');
    const id = containerIdOf(req);
    const { status, answer } = await deps.db.tx(async (client) => {
      await owned({ db: client }, principalOf(req).userId, id, true);
      const rules = await listIngressRules(client, id);
      const created = !rules.some((r) => r.externalPort === body.port);
      if (created && rules.length >= MAX_INGRESS_RULES) {
        throw new HttpError('conflict', `ingress rule limit: at most ${MAX_INGRESS_RULES} rules per container`);
      }
      // 443 is passed through by SNI (the container terminates its own TLS); the other ports are HTTP routed by Host.
      const protocol = body.port === 443 ? 'tls' : 'http';
      const rule = await upsertIngressRule(client, {
        containerId: id,
        externalPort: body.port,
        targetPort: body.target_port ?? body.port,
        protocol,
      });
      await enqueueContainerEvent(client, 'compute.container.updated', await owned({ db: client }, principalOf(req).userId, id));
      const status = created ? 201 : 200;
      const answer = ingressView(deps.config, rule);
      await answerWithinTransaction(res, client, status, answer);
      return { status, answer };
    });
    deps.kick(id);
    res.status(status).json(answer);
  });

  app.delete('/compute/containers/:id/ingress/:port', update, async (req, res) => {
    const port = Number(req.params['port']);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new HttpError('invalid_request', 'port must be a number from 1 to 65535');
    const id = containerIdOf(req);
    await deps.db.tx(async (client) => {
      const row = await owned({ db: client }, principalOf(req).userId, id, true);
      if (!(await deleteIngressRule(client, id, port))) throw new HttpError('not_found', `no ingress rule for port ${port}`);
      await enqueueContainerEvent(client, 'compute.container.updated', row);
    });
    deps.kick(id);
    res.status(204).end();
  });
}

/** Changes settings of the caller's container, publishes `updated`, and lets the reconciler apply them. */
async function change(
  deps: ComputeDeps,
  ownerId: string,
  id: string,
  settings: Parameters<typeof updateSettings>[2],
  alsoInTransaction?: (client: Queryable) => Promise<void>,
) {
  const row = await deps.db.tx(async (client) => {
    await owned({ db: client }, ownerId, id, true);
    await alsoInTransaction?.(client);
    const next = await updateSettings(client, id, settings);
    await enqueueContainerEvent(client, 'compute.container.updated', next);
    return next;
  });
  deps.kick(id);
  return row;
}
