import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sshAuthorizeRequestSchema, type SshAuthorizeResponse } from '@edd/api-contracts';
import ssh2 from 'ssh2';
import { sshFingerprint } from '@edd/ssh-keys';
import type { TestSshd } from '@edd/ssh-keys/testing';

const { utils } = ssh2;

export interface FakeContainer {
  sshd: TestSshd;
  ownerId: string;
  running: boolean;
  sshEnabled: boolean;
  /** Public key lines of the owner's keys this container trusts. */
  trustedKeys: string[];
  /** Host key compute pins (normally the sshd's own; a test changes it to simulate an impostor). */
  pinnedHostKey?: string;
}

export function keyFingerprint(publicKeyLine: string): string {
  const parsed = utils.parseKey(publicKeyLine);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error('bad public key');
  return sshFingerprint(key.getPublicSSH());
}

/**
 * Compute's `POST /internal/ssh/authorize` contract served over real HTTP, with the same rules as
 * apps/compute/src/routes/internal.ts (the gateway may not import another app): containers are test sshds.
 */
export class FakeCompute {
  readonly containers = new Map<string, FakeContainer>();
  readonly requests: Array<{ containerId: string; login: string; fingerprint: string }> = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly serviceKey: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const send = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        if (req.method !== 'POST' || req.url !== '/internal/ssh/authorize') return send(404, { error: 'not_found' });
        if (req.headers['x-service-key'] !== this.serviceKey) return send(401, { error: 'invalid_service_key' });
        const parsed = sshAuthorizeRequestSchema.safeParse(JSON.parse(body || '{}'));
        if (!parsed.success) return send(400, { error: 'validation_failed' });
        this.requests.push(parsed.data);
        send(200, this.authorize(parsed.data));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private authorize(query: { containerId: string; login: string; fingerprint: string }): SshAuthorizeResponse {
    const deny = (reason: string): SshAuthorizeResponse => ({ allow: false, reason });
    const container = this.containers.get(query.containerId);
    if (!container) return deny('no such container');
    if (!container.running) return deny('the container is not running');
    if (!container.sshEnabled) return deny('SSH is disabled for this container');
    if (query.login !== 'root' && query.login !== container.ownerId) return deny(`unknown login "${query.login}": log in as root`);
    if (!container.trustedKeys.some((line) => keyFingerprint(line) === query.fingerprint))
      return deny('this key is not trusted by the container');
    return {
      allow: true,
      address: container.sshd.address,
      port: container.sshd.port,
      hostKey: container.pinnedHostKey ?? container.sshd.hostKey.publicKey,
      platformPrivateKey: container.sshd.platformKey.privateKey,
      user: 'root',
      ownerId: container.ownerId,
    };
  }
}
