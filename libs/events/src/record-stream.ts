/*
 * A JetStream stream of opaque records (bytes), for data that is not a catalogue event: the log service's live
 * tier (stream LOGTAIL). Events go through `EventBus`; this is the same client, without envelopes or schemas.
 */
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Stoppable } from './consume';
import { errorMessage, stderrLogger } from './logger';
import type { EventLogger } from './logger';
import { nanosFromMs } from './streams';

export interface RecordStreamOptions {
  servers: string;
  /** Client connection name. */
  name: string;
  user?: string;
  pass?: string;
  /** The stream (made by the admin, or by a test with `createRecordStream`). */
  stream: string;
  /** Every subject of the stream starts with `<subjectPrefix>.`. */
  subjectPrefix: string;
  logger?: EventLogger;
}

export interface StreamRecord {
  seq: number;
  subject: string;
  data: Uint8Array;
  /** When the server stored it. */
  timeMs: number;
}

export interface BatchConsumerOptions {
  /** Durable name; replicas sharing it share the work. */
  durable: string;
  /** At most this many records per handler call. */
  maxBatch: number;
  /** Only records published under `<subjectPrefix>.<onlySuffix>` (default: every record). */
  onlySuffix?: string;
  /** How long a fetch waits for a batch to fill (default and minimum 1 s: the server holds the pull until then). */
  maxWaitMs?: number;
  /**
   * Resolves: every record of the batch is acknowledged. Throws: none is, they come back after `retryDelayMs`
   * (default 1 s), however many times it takes: nothing is ever given up on.
   */
  handler: (records: StreamRecord[]) => Promise<void>;
  retryDelayMs?: number;
}

export interface RecordStream {
  /** Stores one record under `<subjectPrefix>.<suffix>`; resolves once the server has it. */
  publish(suffix: string, data: Uint8Array): Promise<{ seq: number }>;
  /** First and last sequence stored (first > last when empty). */
  bounds(): Promise<{ first: number; last: number }>;
  /** Calls `onRecord` for every stored record with `fromSeq <= seq <= toSeq`, in order. */
  read(fromSeq: number, toSeq: number, onRecord: (record: StreamRecord) => void): Promise<void>;
  /** Every record stored from now on, in order, to `onRecord`. */
  follow(onRecord: (record: StreamRecord) => void): Promise<Stoppable>;
  /** Durable, acknowledged processing in batches (see BatchConsumerOptions). */
  consumeBatches(options: BatchConsumerOptions): Promise<Stoppable>;
  isConnected(): boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// A batch handler (a database commit) may take a while; the server must not redeliver it meanwhile.
const BATCH_ACK_WAIT_MS = 60_000;

const toRecord = (m: JsMsg): StreamRecord => ({
  seq: m.seq,
  subject: m.subject,
  data: m.data,
  timeMs: Math.floor(m.info.timestampNanos / 1_000_000),
});

export async function openRecordStream(options: RecordStreamOptions): Promise<RecordStream> {
  const logger = options.logger ?? stderrLogger;
  const nc: NatsConnection = await connect({
    servers: options.servers
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    name: options.name,
    user: options.user,
    pass: options.pass,
    maxReconnectAttempts: -1,
  });
  const js: JetStreamClient = jetstream(nc);
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
    await jsm.streams.info(options.stream); // fails fast when the stream is missing
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw new Error(`record stream ${options.stream}: ${errorMessage(err)}`, { cause: err });
  }
  const { stream } = options;
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false;
      else if (status.type === 'reconnect') connected = true;
    }
  })().catch(() => undefined);
  const active = new Set<Stoppable>();
  const track = (stop: () => Promise<void>): Stoppable => {
    const handle: Stoppable = {
      async stop() {
        if (!active.delete(handle)) return;
        await stop();
      },
    };
    active.add(handle);
    return handle;
  };

  return {
    async publish(suffix, data) {
      const ack = await js.publish(`${options.subjectPrefix}.${suffix}`, data);
      return { seq: ack.seq };
    },

    async bounds() {
      const info = await jsm.streams.info(stream);
      return { first: info.state.first_seq, last: info.state.last_seq };
    },

    async read(fromSeq, toSeq, onRecord) {
      if (toSeq < fromSeq) return;
      const consumer = await js.consumers.get(stream, { opt_start_seq: Math.max(1, fromSeq) });
      try {
        // Records before fromSeq may have aged out; the consumer then starts at the first one left.
        const messages = await consumer.consume({ max_messages: 500 });
        for await (const m of messages) {
          if (m.seq > toSeq) break;
          onRecord(toRecord(m));
          if (m.seq === toSeq) break;
        }
        await messages.close();
      } finally {
        await consumer.delete().catch(() => false);
      }
    },

    async follow(onRecord) {
      const info = await jsm.streams.info(stream);
      const consumer = await js.consumers.get(stream, { opt_start_seq: info.state.last_seq + 1 });
      const messages = await consumer.consume({ max_messages: 1000 });
      const loop = (async () => {
        for await (const m of messages) {
          try {
            onRecord(toRecord(m));
          } catch (err) {
            logger.error('record follower failed', { stream, seq: m.seq, error: errorMessage(err) });
          }
        }
      })().catch((err: unknown) => logger.error('record follower stopped', { stream, error: errorMessage(err) }));
      return track(async () => {
        await messages.close();
        await loop;
        await consumer.delete().catch(() => false);
      });
    },

    async consumeBatches(batchOptions) {
      const { durable, maxBatch } = batchOptions;
      const retryDelayMs = batchOptions.retryDelayMs ?? 1_000;
      try {
        await jsm.consumers.info(stream, durable);
      } catch (err) {
        if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
        await jsm.consumers.add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: nanosFromMs(BATCH_ACK_WAIT_MS),
          max_deliver: -1,
          max_ack_pending: 10_000,
          ...(batchOptions.onlySuffix ? { filter_subject: `${options.subjectPrefix}.${batchOptions.onlySuffix}` } : {}),
        });
      }
      const consumer = await js.consumers.get(stream, durable);
      let stopping = false;
      let wake: (() => void) | undefined;
      const pause = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      const loop = (async () => {
        while (!stopping) {
          let batch: JsMsg[] = [];
          try {
            const fetched = await consumer.fetch({ max_messages: maxBatch, expires: Math.max(1_000, batchOptions.maxWaitMs ?? 1_000) });
            for await (const m of fetched) batch.push(m);
          } catch (err) {
            if (stopping) break;
            logger.warn('record consumer fetch failed', { stream, durable, error: errorMessage(err) });
            await pause(retryDelayMs);
            continue;
          }
          if (!batch.length) continue;
          try {
            await batchOptions.handler(batch.map(toRecord));
            // Acknowledged only now, after the handler's work is done (for the archive: committed).
            await Promise.all(batch.map((m) => m.ackAck().catch(() => false)));
          } catch (err) {
            logger.warn('record batch failed; it will come back', { stream, durable, size: batch.length, error: errorMessage(err) });
            for (const m of batch) m.nak(retryDelayMs);
            await pause(retryDelayMs);
          }
          batch = [];
        }
      })();
      return track(async () => {
        stopping = true;
        wake?.();
        await loop;
      });
    },

    isConnected: () => connected && !nc.isClosed(),

    async ping() {
      await Promise.race([
        nc.flush(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('NATS ping timed out after 2000 ms')), 2_000).unref()),
      ]);
    },

    async close() {
      await Promise.all([...active].map((h) => h.stop().catch(() => undefined)));
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

/** Creates a record stream (admin or test use: services may not create streams). Returns how to delete it. */
export async function createRecordStream(options: {
  servers: string;
  stream: string;
  subjectPrefix: string;
  maxMsgs: number;
  maxAgeMs: number;
}): Promise<{ delete: () => Promise<void> }> {
  const nc = await connect({ servers: options.servers, name: 'edd-record-stream-admin' });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: options.stream,
      subjects: [`${options.subjectPrefix}.>`],
      max_msgs: options.maxMsgs,
      max_age: nanosFromMs(options.maxAgeMs),
    });
  } finally {
    await nc.close();
  }
  return {
    async delete() {
      const admin = await connect({ servers: options.servers, name: 'edd-record-stream-admin' });
      try {
        await (await jetstreamManager(admin)).streams.delete(options.stream).catch(() => false);
      } finally {
        await admin.close();
      }
    },
  };
}
