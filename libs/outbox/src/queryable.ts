import type { QueryResult, QueryResultRow } from 'pg';

/** Anything that runs SQL: a transaction's client (the point of the outbox) or a Database. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** Structural logger, fitted as is by @edd/logger and the events' EventLogger. */
export interface OutboxLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
