import { validateRoute } from './validate-route';
import type { Route } from './route';

/** Structural: a pg Pool/Client or `@edd/db`'s Database fits, without this lib depending on either. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface StaticRouteRow {
  id: number;
  host: string;
  path_prefix: string;
  target: string;
  strip_prefix: boolean;
  priority: number;
}

export const SELECT_STATIC_ROUTES = 'SELECT id, host, path_prefix, target, strip_prefix, priority FROM static_routes ORDER BY id';

/** Row -> Route, re-validated (rows written by hand with SQL may not follow the rules). */
export function routeFromRow(row: StaticRouteRow): { route?: Route; problems: string[] } {
  const result = validateRoute({
    host: row.host,
    path_prefix: row.path_prefix,
    target: row.target,
    strip_prefix: row.strip_prefix,
    priority: row.priority,
  });
  if (!result.ok) return { problems: result.problems };
  return { route: { id: row.id, ...result.route }, problems: [] };
}

/** Reads `static_routes`; an invalid row is skipped and reported through `onInvalid`, never breaks the others. */
export async function loadRoutesFromDb(db: Queryable, onInvalid?: (row: StaticRouteRow, problems: string[]) => void): Promise<Route[]> {
  const rows = (await db.query(SELECT_STATIC_ROUTES)).rows as StaticRouteRow[];
  const routes: Route[] = [];
  for (const row of rows) {
    const { route, problems } = routeFromRow(row);
    if (route) routes.push(route);
    else onInvalid?.(row, problems);
  }
  return routes;
}
