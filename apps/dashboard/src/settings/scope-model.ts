import type { ScopeAction, ScopeGrants } from '@edd/api-client';

// Scopes are `<root>.<user_id>[.<resource>[.<id>]]` -> actions. The picker only ever builds scopes for the
// signed-in user's own id, from the roots/resources/actions the auth service's catalogue allows.

export const ALL_ACTIONS: readonly ScopeAction[] = ['create', 'read', 'update', 'delete'];

export interface CatalogResource {
  name: string;
  actions: ScopeAction[];
}
export interface CatalogRoot {
  name: string;
  resources: CatalogResource[];
}

/**
 * Reads `GET /api/scopes` (`{roots: {...}}`) into a list. Accepts a root described as
 * `{resources: {name: {actions}}}`, as `{name: actions[]}` or as a list of resource names (all actions).
 */
export function normaliseCatalog(raw: unknown): CatalogRoot[] {
  const roots = isRecord(raw) && isRecord(raw.roots) ? raw.roots : isRecord(raw) ? raw : {};
  return Object.entries(roots)
    .map(([name, value]) => ({ name, resources: readResources(isRecord(value) && 'resources' in value ? value.resources : value) }))
    .filter((root) => root.resources.length > 0);
}

function readResources(value: unknown): CatalogResource[] {
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string').map((name) => ({ name, actions: [...ALL_ACTIONS] }));
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([name, spec]) => ({ name, actions: readActions(isRecord(spec) ? spec.actions : spec) }));
}

function readActions(value: unknown): ScopeAction[] {
  if (!Array.isArray(value)) return [...ALL_ACTIONS];
  return ALL_ACTIONS.filter((action) => value.includes(action));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Actions a grant may hold: a resource's own, or for a whole root the union of its resources'. */
export function actionsFor(root: CatalogRoot | undefined, resource: string | undefined): ScopeAction[] {
  if (!root) return [];
  const resources = resource ? root.resources.filter((r) => r.name === resource) : root.resources;
  return ALL_ACTIONS.filter((action) => resources.some((r) => r.actions.includes(action)));
}

/** A resource id is one scope segment: no dots (the separator), no spaces. */
export function isValidResourceId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(id);
}

export function buildScope(root: string, userId: string, resource?: string, resourceId?: string): string {
  if (resourceId && !resource) throw new Error('a resource id needs a resource');
  if (resourceId && !isValidResourceId(resourceId)) throw new Error(`invalid resource id: ${resourceId}`);
  return [root, userId, resource, resourceId].filter(Boolean).join('.');
}

/** Adds (or widens) one grant; actions are kept in the canonical order. */
export function addGrant(grants: ScopeGrants, scope: string, actions: readonly ScopeAction[]): ScopeGrants {
  const merged = new Set<ScopeAction>([...(grants[scope] ?? []), ...actions]);
  return { ...grants, [scope]: ALL_ACTIONS.filter((a) => merged.has(a)) };
}

export function removeGrant(grants: ScopeGrants, scope: string): ScopeGrants {
  const { [scope]: _removed, ...rest } = grants;
  return rest;
}

/** "storage.u1.files" -> "files in storage" style text for lists. */
export function describeScope(scope: string): string {
  const [root, , resource, id] = scope.split('.');
  if (!resource) return `all of ${root}`;
  return id ? `${resource} ${id} in ${root}` : `all ${resource} in ${root}`;
}
