import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectEventBus, eventPublisherNames } from '@edd/events';
import { memoryLogger } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_FILES_DIR, renderClusterNatsConfig, renderStreamConfigs } from './cluster-config';
import { startPrivateNats, type PrivateNatsServer } from './private-server';

const dir = join(fileURLToPath(new URL('../..', import.meta.url)), CLUSTER_FILES_DIR);
let server: PrivateNatsServer;

beforeAll(async () => {
  server = await startPrivateNats({ passwordsFromEnv: true });
});

afterAll(async () => {
  await server?.stop();
});

describe('the cluster NATS files (manifests/nats)', () => {
  it('are what tools/nats generates now (run `npx tsx tools/nats/generate.ts` after changing eventPublishers or a stream)', () => {
    expect(readFileSync(join(dir, 'nats.conf'), 'utf8')).toBe(renderClusterNatsConfig());
    const streams = renderStreamConfigs();
    expect(readdirSync(join(dir, 'streams')).sort()).toEqual(Object.keys(streams).sort());
    for (const [file, content] of Object.entries(streams)) expect(readFileSync(join(dir, 'streams', file), 'utf8'), file).toBe(content);
  });

  it('hold no password: nats-server takes each from its environment, and refuses a wrong one', async () => {
    expect(renderClusterNatsConfig()).not.toMatch(/password: "/);
    const nc = await connect({ servers: server.url, user: 'storage', pass: server.credentials.storage });
    await nc.close();
    await expect(connect({ servers: server.url, user: 'storage', pass: 'NATS_PASSWORD_STORAGE' })).rejects.toThrow(
      /Authorization Violation/,
    );
  });

  it("give streams (created by the admin from the stream files, as the nats-streams Job does) that every service's ensureStreams accepts unchanged", async () => {
    const admin = await connect({ servers: server.url, user: 'admin', pass: server.credentials.admin });
    try {
      const jsm = await jetstreamManager(admin);
      for (const content of Object.values(renderStreamConfigs()))
        await jsm.streams.add(JSON.parse(content) as Parameters<typeof jsm.streams.add>[0]);
    } finally {
      await admin.close();
    }
    for (const service of eventPublisherNames) {
      const bus = await connectEventBus({
        servers: server.url,
        name: service,
        user: service,
        pass: server.credentials[service],
        logger: memoryLogger(),
      });
      await bus.ensureStreams(); // would try STREAM.UPDATE, refused, on any difference
      await bus.close();
    }
    expect(server.log()).not.toMatch(/Violation/);
  });
});
