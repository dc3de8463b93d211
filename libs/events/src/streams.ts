import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig, StreamInfo } from '@nats-io/jetstream';
import { eventStreams, streamNames } from '@edd/event-contracts';
import type { StreamName } from '@edd/event-contracts';
import type { EventLogger } from './logger';

const NANOS_PER_MS = 1_000_000;
export const nanosFromMs = (ms: number): number => ms * NANOS_PER_MS;

const DAY_MS = 24 * 60 * 60 * 1000;
const SEVEN_DAYS_MS = 7 * DAY_MS;
// Dead letters wait for a human: kept longer than the events they came from.
const DEAD_LETTER_MAX_AGE_MS = 30 * DAY_MS;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
// The log service's live tier holds recent entries only: the archive (logs_db) keeps what must last.
const LOG_TAIL_MAX_AGE_MS = DAY_MS;
const LOG_TAIL_MAX_MSGS = 200_000;
const LOG_TAIL_MAX_BYTES = 2 * 1024 * 1024 * 1024;

/** The settings we own on every stream; anything else on the server is left alone. */
export interface StreamDefinition {
  name: StreamName;
  subjects: string[];
  retention: RetentionPolicy;
  storage: StorageType;
  max_age: number;
  duplicate_window: number;
  /** Count and size bounds (-1: none); the oldest messages go first. */
  max_msgs: number;
  max_bytes: number;
}

function define(name: StreamName): StreamDefinition {
  if (name === 'LOGTAIL')
    return {
      name,
      subjects: [eventStreams[name]],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanosFromMs(LOG_TAIL_MAX_AGE_MS),
      duplicate_window: nanosFromMs(DUPLICATE_WINDOW_MS),
      max_msgs: LOG_TAIL_MAX_MSGS,
      max_bytes: LOG_TAIL_MAX_BYTES,
    };
  return {
    name,
    subjects: [eventStreams[name]],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanosFromMs(name === 'DEADLETTER' ? DEAD_LETTER_MAX_AGE_MS : SEVEN_DAYS_MS),
    duplicate_window: nanosFromMs(DUPLICATE_WINDOW_MS),
    max_msgs: -1,
    max_bytes: -1,
  };
}

/** One definition per stream of the contracts' `eventStreams` (AUTH, COMPUTE, STORAGE, GATEWAY, ..., DEADLETTER). */
export const streamDefinitions: readonly StreamDefinition[] = streamNames.map(define);

export const streamSubjects = (name: StreamName): string[] => streamDefinitions.find((d) => d.name === name)?.subjects ?? [];

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

function differences(def: StreamDefinition, config: StreamConfig): string[] {
  const diffs: string[] = [];
  const sameSubjects = config.subjects?.length === def.subjects.length && def.subjects.every((s) => config.subjects?.includes(s));
  if (!sameSubjects) diffs.push('subjects');
  for (const key of ['retention', 'storage', 'max_age', 'duplicate_window', 'max_msgs', 'max_bytes'] as const) {
    if (config[key] !== def[key]) diffs.push(key);
  }
  return diffs;
}

async function infoOrUndefined(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (isApiError(err, JetStreamApiCodes.StreamNotFound)) return undefined;
    throw err;
  }
}

/**
 * Creates the stream, or brings an existing one to our settings. Safe to run from many processes at once:
 * a concurrent creation ("already in use") falls through to the compare-and-update path.
 */
export async function ensureStream(jsm: JetStreamManager, def: StreamDefinition, logger: EventLogger): Promise<void> {
  let info = await infoOrUndefined(jsm, def.name);
  if (!info) {
    try {
      await jsm.streams.add({ ...def });
      logger.info('event stream created', { stream: def.name });
      return;
    } catch (err) {
      info = await infoOrUndefined(jsm, def.name);
      if (!info) throw err;
    }
  }
  const diffs = differences(def, info.config);
  if (diffs.length === 0) return;
  if (diffs.includes('storage') || diffs.includes('retention')) {
    // Neither can be changed in place; recreating would drop data, so keep the stream and say so.
    logger.warn('event stream has immutable settings that differ from the definition', { stream: def.name, diffs });
    return;
  }
  const { name: _name, storage: _storage, retention: _retention, ...mutable } = def;
  await jsm.streams.update(def.name, { ...info.config, ...mutable });
  logger.info('event stream updated', { stream: def.name, diffs });
}

export async function ensureStreams(jsm: JetStreamManager, logger: EventLogger): Promise<void> {
  for (const def of streamDefinitions) await ensureStream(jsm, def, logger);
}
