import type { Database } from '@edd/db';
import { SELECT_STATIC_ROUTES, loadRoutesFromDb, routeFromRow } from '@edd/route-registry';
import type { Route, StaticRouteRow } from '@edd/route-registry';
import type { Logger } from '@edd/logger';

/** The (host, path_prefix) pair is taken by another route. */
export class RouteConflictError extends Error {
  constructor(route: Route) {
    super(`a route for ${route.host}${route.pathPrefix} already exists`);
    this.name = 'RouteConflictError';
  }
}

const COLUMNS = 'id, host, path_prefix, target, strip_prefix, priority';
const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === UNIQUE_VIOLATION;
}

function toRoute(row: StaticRouteRow): Route {
  // Rows written by this module are valid; fall back to the raw row rather than hide it from the admin.
  const { route } = routeFromRow(row);
  return (
    route ?? {
      id: row.id,
      host: row.host,
      pathPrefix: row.path_prefix,
      target: row.target,
      stripPrefix: row.strip_prefix,
      priority: row.priority,
    }
  );
}

/** `gateway_db.static_routes` reads and writes. Every write fires the NOTIFY trigger (migration 001). */
export class RouteRepository {
  constructor(
    private readonly db: Pick<Database, 'query'>,
    private readonly logger?: Logger,
  ) {}

  /** Valid routes only (what the gateway serves); invalid rows are logged. */
  load(): Promise<Route[]> {
    return loadRoutesFromDb(this.db, (row, problems) =>
      this.logger?.warn('static route ignored: invalid row', { id: row.id, host: row.host, problems }),
    );
  }

  /** Every row, as stored (what the admin API lists). */
  async list(): Promise<Route[]> {
    const { rows } = await this.db.query<StaticRouteRow>(SELECT_STATIC_ROUTES);
    return rows.map(toRoute);
  }

  async create(route: Route): Promise<Route> {
    try {
      const { rows } = await this.db.query<StaticRouteRow>(
        `INSERT INTO static_routes (host, path_prefix, target, strip_prefix, priority) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [route.host, route.pathPrefix, route.target, route.stripPrefix, route.priority],
      );
      const [row] = rows;
      if (!row) throw new Error('INSERT returned no row');
      return toRoute(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new RouteConflictError(route);
      throw error;
    }
  }

  /** Full replacement of one route; undefined when the id does not exist. */
  async update(id: number, route: Route): Promise<Route | undefined> {
    try {
      const { rows } = await this.db.query<StaticRouteRow>(
        `UPDATE static_routes SET host = $2, path_prefix = $3, target = $4, strip_prefix = $5, priority = $6, updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, route.host, route.pathPrefix, route.target, route.stripPrefix, route.priority],
      );
      return rows[0] ? toRoute(rows[0]) : undefined;
    } catch (error) {
      if (isUniqueViolation(error)) throw new RouteConflictError(route);
      throw error;
    }
  }

  async remove(id: number): Promise<boolean> {
    const { rows } = await this.db.query<{ id: number }>('DELETE FROM static_routes WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  /**
   * Upserts the manifest's routes by (host, path_prefix) in one statement (one NOTIFY); rows that already
   * hold the same values are left untouched, and routes that are not in the manifest are never deleted.
   */
  async seed(routes: readonly Route[]): Promise<{ inserted: number; updated: number }> {
    if (routes.length === 0) return { inserted: 0, updated: 0 };
    const { rows } = await this.db.query<{ inserted: boolean }>(
      `INSERT INTO static_routes (host, path_prefix, target, strip_prefix, priority)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::integer[])
       ON CONFLICT (host, path_prefix) DO UPDATE
         SET target = EXCLUDED.target, strip_prefix = EXCLUDED.strip_prefix, priority = EXCLUDED.priority, updated_at = now()
         WHERE (static_routes.target, static_routes.strip_prefix, static_routes.priority)
           IS DISTINCT FROM (EXCLUDED.target, EXCLUDED.strip_prefix, EXCLUDED.priority)
       RETURNING (xmax = 0) AS inserted`,
      [
        routes.map((r) => r.host),
        routes.map((r) => r.pathPrefix),
        routes.map((r) => r.target),
        routes.map((r) => r.stripPrefix),
        routes.map((r) => r.priority),
      ],
    );
    const inserted = rows.filter((r) => r.inserted).length;
    return { inserted, updated: rows.length - inserted };
  }
}
