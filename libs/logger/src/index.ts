export { createLogger } from './logger';
export type { Logger, LogFields, LogLevel, LoggerOptions } from './logger';
export { redact, maskText } from './redact';
