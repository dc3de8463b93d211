// ensureStream against a private, randomly named stream (the shared streams are never changed or deleted).
import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamName } from '@edd/event-contracts';
import { ensureStream, nanosFromMs, streamDefinitions } from '../src/streams';
import type { StreamDefinition } from '../src/streams';
import { memoryLogger, randomToken, testNatsUrl } from '../src/testing';

let nc: NatsConnection;
let jsm: JetStreamManager;
const token = randomToken('evtest').replace('-', '_');
const name = token.toUpperCase() as StreamName;
const base = streamDefinitions[0] as StreamDefinition;
const def: StreamDefinition = { ...base, name, subjects: [`${token}.>`] };

beforeAll(async () => {
  nc = await connect({ servers: testNatsUrl });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await jsm.streams.delete(name).catch(() => false);
  await nc.close();
});

describe('ensureStream', () => {
  it('creates the stream once even when called concurrently', async () => {
    const logger = memoryLogger();
    await Promise.all([ensureStream(jsm, def, logger), ensureStream(jsm, def, logger), ensureStream(jsm, def, logger)]);
    await ensureStream(jsm, def, logger);
    const { config } = await jsm.streams.info(name);
    expect(config).toMatchObject({ subjects: def.subjects, max_age: def.max_age, duplicate_window: def.duplicate_window });
    expect(config.storage).toBe('file');
    expect(config.retention).toBe('limits');
  });

  it('updates settings that drifted', async () => {
    await jsm.streams.update(name, { max_age: nanosFromMs(3_600_000), subjects: [`${token}.>`, `${token}x.>`] });
    const logger = memoryLogger();
    await ensureStream(jsm, def, logger);
    const { config } = await jsm.streams.info(name);
    expect(config.max_age).toBe(def.max_age);
    expect(config.subjects).toEqual(def.subjects);
    expect(logger.entries).toContainEqual(expect.objectContaining({ msg: 'event stream updated' }));
  });
});
