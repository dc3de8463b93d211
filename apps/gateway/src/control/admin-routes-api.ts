import type { IncomingMessage, ServerResponse } from 'node:http';
import { routeToJson, validateRoute } from '@edd/route-registry';
import type { Route } from '@edd/route-registry';
import { BodyError, readJsonBody, sendError, sendJson } from './http-json';
import { RouteConflictError } from './route-repository';
import type { RouteRepository } from './route-repository';

export interface RoutesApiDeps {
  repository: RouteRepository;
  /** Reloads this replica's table right after a write (others follow through NOTIFY). */
  reload: () => Promise<unknown>;
  /** Routes this replica serves right now. */
  activeRoutes: () => readonly Route[];
}

const ITEM = /^\/admin\/routes\/([^/]+)$/;

function parseId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : undefined;
}

async function readRoute(req: IncomingMessage, res: ServerResponse): Promise<Route | undefined> {
  const body = await readJsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendError(res, 'invalid_request', 'request body must be a JSON object');
    return undefined;
  }
  // Clients may send back what GET returned; the id comes from the URL, never from the body.
  const { id: _ignored, ...fields } = body as Record<string, unknown>;
  const result = validateRoute(fields);
  if (!result.ok) {
    sendError(res, 'invalid_request', result.problems.join('; '));
    return undefined;
  }
  return result.route;
}

/** `GET|POST /admin/routes`, `PUT|DELETE /admin/routes/:id`, `GET /admin/routes/active`. Returns false if not its path. */
export async function handleRoutesApi(req: IncomingMessage, res: ServerResponse, path: string, deps: RoutesApiDeps): Promise<boolean> {
  try {
    if (path === '/admin/routes') {
      if (req.method === 'GET') sendJson(res, 200, (await deps.repository.list()).map(routeToJson));
      else if (req.method === 'POST') {
        const route = await readRoute(req, res);
        if (!route) return true;
        const created = await deps.repository.create(route);
        await deps.reload();
        sendJson(res, 201, routeToJson(created), { location: `/admin/routes/${created.id}` });
      } else sendError(res, 'method_not_allowed', undefined, { allow: 'GET, POST' });
      return true;
    }
    if (path === '/admin/routes/active') {
      if (req.method === 'GET') sendJson(res, 200, deps.activeRoutes().map(routeToJson));
      else sendError(res, 'method_not_allowed', undefined, { allow: 'GET' });
      return true;
    }
    const item = ITEM.exec(path);
    if (!item?.[1]) return false;
    const id = parseId(item[1]);
    if (id === undefined) {
      sendError(res, 'not_found', 'route not found');
      return true;
    }
    if (req.method === 'PUT') {
      const route = await readRoute(req, res);
      if (!route) return true;
      const updated = await deps.repository.update(id, route);
      if (updated) {
        await deps.reload();
        sendJson(res, 200, routeToJson(updated));
      } else sendError(res, 'not_found', 'route not found');
    } else if (req.method === 'DELETE') {
      if (await deps.repository.remove(id)) {
        await deps.reload();
        sendJson(res, 200, { status: 'ok' });
      } else sendError(res, 'not_found', 'route not found');
    } else sendError(res, 'method_not_allowed', undefined, { allow: 'PUT, DELETE' });
    return true;
  } catch (error) {
    if (error instanceof BodyError) sendError(res, error.code, error.message);
    else if (error instanceof RouteConflictError) sendError(res, 'conflict', error.message);
    else throw error;
    return true;
  }
}
