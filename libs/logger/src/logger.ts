import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Field names whose values are credentials: they are masked whatever the caller passes.
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|service[-_]?key|private/i;

/** Copies `fields`, masking every value stored under a credential-like key, at any depth. */
export function redact(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message };
    else if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4)
      out[key] = redact(value as LogFields, depth + 1);
    else out[key] = value;
  }
  return out;
}

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  stream?: Writable;
}

/** JSON-lines logger: one object per line, so `jq` and log shippers read it as is. */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const threshold = LEVELS[options.level ?? (process.env['LOG_LEVEL'] as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;
  const stream = options.stream ?? process.stdout;
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold) return;
    const line = { time: new Date().toISOString(), level, service: options.service, msg, ...redact({ ...bound, ...fields }) };
    stream.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}
