import * as grpc from '@grpc/grpc-js';
import { LEVELS, isLevelName } from '../entries/log-entry';
import type { EntryFilter, LevelName, LogRecord } from '../entries/log-entry';
import { normalizeEntry } from '../entries/normalize';
import type { IncomingEntry } from '../entries/normalize';
import type { LiveTier } from '../live/live-tier';
import { logServiceClientConstructor } from './log-proto';
import type { ProtoGetLogsRequest, ProtoLogEntry, ProtoStreamLogsRequest } from './log-proto';
import { metadataHasServiceKey } from './service-key-metadata';

export interface LogServiceOptions {
  live: LiveTier;
  serviceKey: string;
  /** Stops a PushLogs call that sends nothing for this long (default 30 s). */
  idleTimeoutMs?: number;
}

export const MAX_ENTRIES_PER_BATCH = 5_000;
const MAX_GET_LIMIT = 1_000;
const DEFAULT_GET_LIMIT = 100;
const STREAM_BACKLOG = 1_000;
// A StreamLogs caller that lets more than this queue up is cut: the server does not buffer for slow readers.
const MAX_STREAM_BUFFER_BYTES = 4 * 1024 * 1024;
// Publishes in flight per PushLogs call before it stops reading (HTTP/2 flow control then slows the sender).
const MAX_IN_FLIGHT = 16;

export function toProtoEntry(entry: LogRecord): ProtoLogEntry {
  return {
    source: entry.source,
    level: entry.level,
    message: entry.message,
    timestamp: Math.floor(entry.timeMs / 1000),
    attributes: entry.attributes,
    timestamp_ms: entry.timeMs,
  };
}

function levelOf(value: string | number): LevelName {
  if (isLevelName(value)) return value;
  return (typeof value === 'number' && LEVELS[value]) || 'DEBUG';
}

function filterOf(request: { source: string; min_level: string | number }): EntryFilter {
  return { ...(request.source ? { source: request.source } : {}), minLevel: levelOf(request.min_level) };
}

const unauthenticated = { code: grpc.status.UNAUTHENTICATED, details: 'service key required (x-service-key metadata)' };

/** Registers logging.LogService: PushLog, PushLogs (client-streaming batches), StreamLogs, GetLogs. */
export function addLogService(server: grpc.Server, options: LogServiceOptions): void {
  const { live } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const authorized = (call: { metadata: grpc.Metadata }) => metadataHasServiceKey(call.metadata, options.serviceKey);

  const implementation: grpc.UntypedServiceImplementation = {
    PushLog(call: grpc.ServerUnaryCall<{ entry?: IncomingEntry }, object>, callback: grpc.sendUnaryData<object>) {
      if (!authorized(call)) return callback(unauthenticated);
      live.publish([normalizeEntry(call.request.entry ?? {}, Date.now())]).then(
        () => callback(null, {}),
        () => callback({ code: grpc.status.UNAVAILABLE, details: 'live tier unavailable; retry' }),
      );
    },

    PushLogs(call: grpc.ServerReadableStream<{ entries?: IncomingEntry[] }, object>, callback: grpc.sendUnaryData<object>) {
      if (!authorized(call)) return callback(unauthenticated);
      let accepted = 0;
      let failed = false;
      let finished = false;
      const inFlight = new Set<Promise<void>>();
      const finish = (error: grpc.ServiceError | Partial<grpc.StatusObject> | null) => {
        if (finished) return;
        finished = true;
        clearTimeout(idle);
        callback(error, error ? undefined : { accepted });
      };
      let idle = setTimeout(() => finish({ code: grpc.status.DEADLINE_EXCEEDED, details: 'no batch for too long' }), idleTimeoutMs);
      call.on('data', (batch: { entries?: IncomingEntry[] }) => {
        if (finished) return;
        clearTimeout(idle);
        idle = setTimeout(() => finish({ code: grpc.status.DEADLINE_EXCEEDED, details: 'no batch for too long' }), idleTimeoutMs);
        const incoming = batch.entries ?? [];
        if (incoming.length > MAX_ENTRIES_PER_BATCH)
          return finish({ code: grpc.status.INVALID_ARGUMENT, details: `at most ${MAX_ENTRIES_PER_BATCH} entries per batch` });
        const now = Date.now();
        const entries = incoming.map((entry) => normalizeEntry(entry, now));
        const publishing = live.publish(entries).then(
          () => {
            accepted += entries.length;
          },
          () => {
            failed = true;
          },
        );
        inFlight.add(publishing);
        if (inFlight.size >= MAX_IN_FLIGHT) call.pause();
        void publishing.finally(() => {
          inFlight.delete(publishing);
          if (inFlight.size < MAX_IN_FLIGHT) call.resume();
        });
      });
      call.on('end', () => {
        void Promise.all(inFlight).then(() =>
          finish(failed ? { code: grpc.status.UNAVAILABLE, details: 'live tier unavailable; retry the batches' } : null),
        );
      });
      call.on('error', () => finish({ code: grpc.status.CANCELLED, details: 'cancelled' }));
    },

    StreamLogs(call: grpc.ServerWritableStream<ProtoStreamLogsRequest, ProtoLogEntry>) {
      if (!authorized(call)) return void call.emit('error', unauthenticated);
      let unsubscribe: (() => void) | undefined;
      let ended = false;
      const end = (error?: Partial<grpc.StatusObject>) => {
        if (ended) return;
        ended = true;
        unsubscribe?.();
        if (error) call.emit('error', error);
        else call.end();
      };
      call.on('cancelled', () => end());
      call.on('error', () => end());
      const send = (entries: LogRecord[]) => {
        if (ended) return;
        if (call.writableLength > MAX_STREAM_BUFFER_BYTES) return end({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'reader too slow' });
        for (const entry of entries) call.write(toProtoEntry(entry));
      };
      live
        .subscribe(filterOf(call.request), STREAM_BACKLOG, send, () =>
          end({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'reader too slow' }),
        )
        .then(
          (stop) => {
            if (ended) stop();
            else unsubscribe = stop;
          },
          () => end({ code: grpc.status.UNAVAILABLE, details: 'live tier unavailable' }),
        );
    },

    GetLogs(call: grpc.ServerUnaryCall<ProtoGetLogsRequest, object>, callback: grpc.sendUnaryData<object>) {
      if (!authorized(call)) return callback(unauthenticated);
      const request = call.request;
      const limit = request.limit > 0 ? Math.min(request.limit, MAX_GET_LIMIT) : DEFAULT_GET_LIMIT;
      const filter = { ...filterOf(request), ...(request.since > 0 ? { sinceMs: request.since * 1000 } : {}) };
      live.backlog(filter, limit).then(
        ({ entries }) => callback(null, { entries: entries.map(toProtoEntry) }),
        () => callback({ code: grpc.status.UNAVAILABLE, details: 'live tier unavailable' }),
      );
    },
  };
  server.addService(logServiceClientConstructor().service, implementation);
}
