import type { ScopeGrants } from '@edd/scopes';
import type { QueryResult, QueryResultRow } from 'pg';

/** Anything that runs SQL: the Database itself or a transaction's client. Data modules accept either. */
export interface Queryable {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** Scope map as stored in jsonb: `{"storage.<uid>.files": ["read"]}`; only ever written after validateScopeGrants. */
export type ScopeMap = ScopeGrants;
