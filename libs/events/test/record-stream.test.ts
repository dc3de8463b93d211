import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordStream, openRecordStream } from '../src/record-stream';
import type { RecordStream, StreamRecord } from '../src/record-stream';
import { memoryLogger, testNatsUrl, waitFor } from '../src/testing';

const token = randomBytes(5).toString('hex');
const name = `RECTEST_${token}`;
const prefix = `rectest-${token}`;
let admin: { delete: () => Promise<void> };
let stream: RecordStream;
const text = (record: StreamRecord) => new TextDecoder().decode(record.data);
const bytes = (value: string) => new TextEncoder().encode(value);

beforeAll(async () => {
  admin = await createRecordStream({ servers: testNatsUrl, stream: name, subjectPrefix: prefix, maxMsgs: 1_000, maxAgeMs: 600_000 });
  stream = await openRecordStream({
    servers: testNatsUrl,
    name: 'record-test',
    stream: name,
    subjectPrefix: prefix,
    logger: memoryLogger(),
  });
});

afterAll(async () => {
  await stream?.close();
  await admin?.delete();
});

describe('record streams', () => {
  it('refuses to open a stream that does not exist, naming it', async () => {
    await expect(openRecordStream({ servers: testNatsUrl, name: 't', stream: `NOPE_${token}`, subjectPrefix: 'nope' })).rejects.toThrow(
      new RegExp(`record stream NOPE_${token}`),
    );
  });

  it('stores records in order; read() returns exactly a range; follow() sees only later records', async () => {
    const followed: string[] = [];
    const follower = await stream.follow((record) => followed.push(text(record)));
    const seqs: number[] = [];
    for (const value of ['a', 'b', 'c', 'd']) seqs.push((await stream.publish('x', bytes(value))).seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const bounds = await stream.bounds();
    expect(bounds.last).toBe(seqs[3]);
    const read: string[] = [];
    await stream.read(seqs[1]!, seqs[2]!, (record) => read.push(text(record)));
    expect(read).toEqual(['b', 'c']);
    await stream.read(5, 4, () => read.push('never'));
    expect(read).toHaveLength(2);
    await waitFor(() => followed.length === 4);
    expect(followed).toEqual(['a', 'b', 'c', 'd']);
    await follower.stop();
    await stream.ping();
    expect(stream.isConnected()).toBe(true);
  });

  it('consumeBatches: a batch whose handler throws comes back, and is acknowledged once it succeeds', async () => {
    const durable = `rec_${randomBytes(4).toString('hex')}`;
    let attempts = 0;
    const done: string[] = [];
    const consumer = await stream.consumeBatches({
      durable,
      maxBatch: 100,
      retryDelayMs: 50,
      handler: async (records) => {
        attempts += 1;
        if (attempts === 1) throw new Error('database away');
        done.push(...records.map(text));
      },
    });
    try {
      await waitFor(() => done.length >= 4, 20_000);
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(new Set(done)).toEqual(new Set(['a', 'b', 'c', 'd']));
    } finally {
      await consumer.stop();
    }
    // Acknowledged: a new consumer with the same durable gets nothing more, only what is published next.
    const again: string[] = [];
    const second = await stream.consumeBatches({
      durable,
      maxBatch: 10,
      handler: async (records) => void again.push(...records.map(text)),
    });
    try {
      await stream.publish('x', bytes('e'));
      await waitFor(() => again.length === 1, 20_000);
      expect(again).toEqual(['e']);
    } finally {
      await second.stop();
    }
  });
});
