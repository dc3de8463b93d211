/** Structural logger so this contracts lib need not import @edd/logger (which fits it as is). */
export interface EventLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Used when no logger is given: warnings and errors still reach stderr as JSON lines. */
export const stderrLogger: EventLogger = {
  info: () => undefined,
  warn: (msg, fields) => console.error(JSON.stringify({ level: 'warn', msg, ...fields })),
  error: (msg, fields) => console.error(JSON.stringify({ level: 'error', msg, ...fields })),
};

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
