import { sshAuthorizeRequestSchema, type SshAuthorizeResponse } from '@edd/api-contracts';
import { parseBody, requireServiceKey } from '@edd/http';
import type { Express } from 'express';
import type { ComputeDeps } from '../context';
import { findContainer, listRunningContainers } from '../data/containers';
import { loadSecrets } from '../data/secrets';
import { trustedKeys } from '../data/ssh-keys';
import { containerPayload } from '../services/container-events';
import { mountInternalUsageRoute } from './internal-usage';

/** sshd's port inside every container. */
export const CONTAINER_SSH_PORT = 22;

/** `GET /internal/containers` (the gateway's resync) and `POST /internal/ssh/authorize` (its SSH plane). */
export function mountInternalRoutes(app: Express, deps: ComputeDeps): void {
  const guard = requireServiceKey(deps.config.SERVICE_API_KEY);

  app.get('/internal/containers', guard, async (_req, res) => {
    const rows = await listRunningContainers(deps.db);
    res.json({ containers: await Promise.all(rows.map((row) => containerPayload(deps.db, row))) });
  });
  mountInternalUsageRoute(app, deps, guard);

  app.post('/internal/ssh/authorize', guard, async (req, res) => {
    const body = parseBody(sshAuthorizeRequestSchema, req.body);
    res.json(await authorize(deps, body));
  });
}

const deny = (reason: string): SshAuthorizeResponse => ({ allow: false, reason });

async function authorize(
  deps: ComputeDeps,
  body: { containerId: string; login: string; fingerprint: string },
): Promise<SshAuthorizeResponse> {
  const row = await findContainer(deps.db, body.containerId);
  if (!row || row.desiredState === 'deleted') return deny('no such container');
  if (row.desiredState !== 'running' || row.status !== 'running' || !row.address) return deny('the container is not running');
  if (!row.sshEnabled) return deny('SSH is disabled for this container');
  // Every trusted key logs in as root (the only account whose authorized_keys compute manages); the owner's id is
  // accepted as the same account.
  if (body.login !== 'root' && body.login !== row.ownerId) return deny(`unknown login "${body.login}": log in as root`);
  const keys = await trustedKeys(deps.db, row.id);
  if (!keys.some((k) => k.fingerprint === body.fingerprint)) return deny('this key is not trusted by the container');
  const secrets = await loadSecrets(deps.db, deps.sealer, row.id);
  if (!secrets) return deny('the container has no keys yet');
  return {
    allow: true,
    address: row.address,
    port: CONTAINER_SSH_PORT,
    hostKey: secrets.hostKey.publicKey,
    platformPrivateKey: secrets.platformKey.privateKey,
    user: 'root',
    ownerId: row.ownerId,
  };
}
