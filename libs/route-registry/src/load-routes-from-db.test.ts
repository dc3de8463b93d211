import { describe, expect, it } from 'vitest';
import { SELECT_STATIC_ROUTES, loadRoutesFromDb } from './load-routes-from-db';
import type { Queryable, StaticRouteRow } from './load-routes-from-db';

// The real table is exercised by the gateway's route-store tests; this checks the row mapping only.
function fakeDb(rows: StaticRouteRow[]): Queryable & { sql: string[] } {
  const sql: string[] = [];
  return {
    sql,
    async query(text: string) {
      sql.push(text);
      return { rows };
    },
  };
}

describe('loadRoutesFromDb', () => {
  it('maps rows to routes and skips invalid ones', async () => {
    const db = fakeDb([
      { id: 1, host: 'a.test', path_prefix: '/', target: 'http://127.0.0.1:1', strip_prefix: false, priority: 0 },
      { id: 2, host: 'a.test', path_prefix: 'no-slash?', target: 'http://x', strip_prefix: false, priority: 0 },
      { id: 3, host: 'A.test', path_prefix: '/x/', target: 'http://127.0.0.1:2', strip_prefix: true, priority: 2 },
    ]);
    const invalid: number[] = [];
    const routes = await loadRoutesFromDb(db, (row) => invalid.push(row.id));
    expect(db.sql).toEqual([SELECT_STATIC_ROUTES]);
    expect(invalid).toEqual([2]);
    expect(routes).toEqual([
      { id: 1, host: 'a.test', pathPrefix: '/', target: 'http://127.0.0.1:1', stripPrefix: false, priority: 0 },
      { id: 3, host: 'a.test', pathPrefix: '/x', target: 'http://127.0.0.1:2', stripPrefix: true, priority: 2 },
    ]);
  });
});
