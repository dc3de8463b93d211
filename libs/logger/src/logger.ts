import type { Writable } from 'node:stream';
import pino from 'pino';
import { maskText, redact } from './redact';
import { transportFromEnv } from './transport/log-transport';
import type { LogTransport } from './transport/log-transport';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where the lines go; default stdout, written synchronously so the last line before process.exit is not lost. */
  stream?: Writable;
  /**
   * Also ship every line to the log service. Default: the transport `LOG_SERVICE_URL` turns on (with
   * `SERVICE_API_KEY`), shared by every logger of the process; `false` never.
   */
  transport?: LogTransport | false;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function levelOf(options: LoggerOptions): LogLevel {
  const fromEnv = process.env['LOG_LEVEL'];
  return options.level ?? (LEVELS.find((level) => level === fromEnv) || 'info');
}

function wrap(log: pino.Logger): Logger {
  // Our argument order (message first), the message masked like the fields.
  return {
    debug: (msg, fields) => log.debug(fields ?? {}, maskText(msg)),
    info: (msg, fields) => log.info(fields ?? {}, maskText(msg)),
    warn: (msg, fields) => log.warn(fields ?? {}, maskText(msg)),
    error: (msg, fields) => log.error(fields ?? {}, maskText(msg)),
    // Bound fields are redacted once, here: pino applies no formatter to a child's bindings.
    child: (fields) => wrap(log.child(redact(fields))),
  };
}

/**
 * JSON-lines logger: one object per line (`time`, `level`, `service`, bound fields, the line's fields, `msg`), so
 * `jq` and log shippers read it as is. pino underneath (tools/bench/logger-bench.ts: faster than the hand-written
 * one it replaced, see README); every field, bound or per line, goes through `redact` first.
 */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const output = options.stream ?? pino.destination({ dest: 1, sync: true });
  const transport = options.transport === false ? undefined : (options.transport ?? transportFromEnv());
  // The transport takes the line pino already serialized: one array push per call on the caller's path.
  const destination = transport
    ? pino.multistream([
        { stream: output, level: 'trace' },
        { stream: transport, level: 'trace' },
      ])
    : output;
  const root = pino(
    {
      level: levelOf(options),
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redact(fields),
      },
    },
    destination,
  );
  const logger = wrap(root);
  return Object.keys(bound).length ? logger.child(bound) : logger;
}
