import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Client as Ssh2Client } from 'ssh2';
import type { EventBus } from '@edd/events';
import { GatewayMetrics } from '../../control/metrics';
import { memoryLogger } from '../../control/testing';
import { startTestEdge, type TestEdge } from '../../edge/tests/harness';
import { ComputeSshAuthorizer } from '../authorizer';
import { loadHostKeys, type HostKey } from '../host-keys';
import { SshPlane } from '../ssh-plane';
import type { SshLimits } from '../ssh-connection';
import { FakeCompute, type FakeContainer } from './fake-compute';
import { ed25519, OpenSshClient, startTestSshd, type KeyPair, type TestSshd } from '@edd/ssh-keys/testing';

export const SERVICE_KEY = 'test-service-key-0123456789';

export interface SshHarness {
  edge: TestEdge;
  plane: SshPlane;
  authorizer: ComputeSshAuthorizer;
  compute: FakeCompute;
  metrics: GatewayMetrics;
  hostKeys: HostKey[];
  logs: Array<Record<string, unknown>>;
  client: OpenSshClient;
  /** A running container (test sshd) owned by `ownerId`, trusting `keys`. */
  addContainer(id: string, keys: KeyPair[], extra?: Partial<FakeContainer>, sshdConfig?: string[]): Promise<FakeContainer>;
  /** An ssh2 client logged in through the gateway as `username` with `key`, pinning the gateway's host key. */
  connect(username: string, key: KeyPair): Promise<Ssh2Client>;
  /** Log lines of refused logins, newest last. */
  refusals(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface SshHarnessOptions {
  hostKeyDir?: string;
  bus?: Pick<EventBus, 'subscribe' | 'publish'>;
  cacheMs?: number;
  limits?: Partial<SshLimits & { maxUnauthenticatedPerAddress: number }>;
  compute?: FakeCompute;
}

/** The real edge on port 0 with the SSH plane plugged in, compute's contract served over HTTP, OpenSSH as the client. */
export async function startSshHarness(options: SshHarnessOptions = {}): Promise<SshHarness> {
  const ownKeyDir = options.hostKeyDir ? undefined : await mkdtemp(join(tmpdir(), 'edd-gw-hostkeys-'));
  const hostKeys = loadHostKeys({ devDir: options.hostKeyDir ?? ownKeyDir ?? '' }).keys;
  const compute = options.compute ?? new FakeCompute(SERVICE_KEY);
  if (!options.compute) await compute.start();
  const logger = memoryLogger();
  const metrics = new GatewayMetrics();
  const authorizer = new ComputeSshAuthorizer({ baseUrl: compute.url, serviceKey: SERVICE_KEY, logger, cacheMs: options.cacheMs ?? 3_000 });
  await authorizer.start(options.bus);
  const plane = new SshPlane({
    hostKeys,
    authorizer,
    logger,
    metrics,
    bus: options.bus,
    limits: {
      authTimeoutMs: 10_000,
      maxUnauthenticatedPerAddress: 200,
      maxAuthAttempts: 6,
      maxChannels: 16,
      idleTimeoutMs: 0,
      keepaliveMs: 5_000,
      upstreamTimeoutMs: 5_000,
      ...options.limits,
    },
  });
  const edge = await startTestEdge([], { GATEWAY_INGRESS_PORT_MIN: 1024, GATEWAY_INGRESS_PORT_MAX: 65535 });
  edge.edge.sshHandler = plane.handle;
  const client = await OpenSshClient.create(edge.edge.ports.ssh, hostKeys);
  const sshds: TestSshd[] = [];
  return {
    edge,
    plane,
    authorizer,
    compute,
    metrics,
    hostKeys,
    logs: logger.lines,
    client,
    async addContainer(id, keys, extra = {}, sshdConfig = []) {
      const sshd = await startTestSshd(id, undefined, sshdConfig);
      sshds.push(sshd);
      const container: FakeContainer = {
        sshd,
        ownerId: 'owner-1',
        running: true,
        sshEnabled: true,
        trustedKeys: keys.map((k) => k.publicKey),
        ...extra,
      };
      compute.containers.set(id, container);
      return container;
    },
    connect(username, key) {
      const client = new ssh2.Client();
      const hostKey = hostKeys[0]?.publicKey.split(' ')[1];
      return new Promise((resolve, reject) => {
        client.once('ready', () => resolve(client)).once('error', reject);
        client.connect({
          host: '127.0.0.1',
          port: edge.edge.ports.ssh,
          username,
          privateKey: key.privateKey,
          hostVerifier: (presented: Buffer) => presented.toString('base64') === hostKey,
        });
      });
    },
    refusals: () => logger.lines.filter((line) => line['msg'] === 'ssh login refused'),
    async close() {
      await plane.drain(500);
      await edge.close();
      await authorizer.stop();
      await Promise.all(sshds.map((sshd) => sshd.stop()));
      if (!options.compute) await compute.stop();
      await client.cleanup();
      if (ownKeyDir) await rm(ownKeyDir, { recursive: true, force: true });
    },
  };
}

export { ed25519 };
