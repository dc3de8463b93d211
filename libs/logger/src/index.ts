export { createLogger } from './logger';
export type { Logger, LogFields, LogLevel, LoggerOptions } from './logger';
export { redact, maskText } from './redact';
export { LogTransport, drainLogTransports, logTransportStats, sharedLogTransport, transportFromEnv } from './transport/log-transport';
export type { LogTransportOptions, LogTransportStats } from './transport/log-transport';
export { encodeLogBatch } from './transport/log-batch-encoding';
export type { WireLogEntry } from './transport/log-batch-encoding';
