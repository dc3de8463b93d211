// The scope catalogue: which roots exist, which resources each root has, and which actions make
// sense on each resource. Single source for the grammar check, the grant validation, the cascade
// check, the dashboard's scope picker and the auth service's `GET /api/scopes`.

export const SCOPE_ACTIONS = ['create', 'read', 'update', 'delete'] as const;
export type ScopeAction = (typeof SCOPE_ACTIONS)[number];

/** Scope string -> actions granted on it, e.g. `{ "storage.u1.files": ["read"] }`. */
export type ScopeGrants = Record<string, ScopeAction[]>;

export const SCOPE_FORMAT = '<root>.<user_id>[.<resource>[.<id>]]';

export const scopeCatalog = {
  format: SCOPE_FORMAT,
  actions: SCOPE_ACTIONS,
  roots: {
    compute: {
      description: 'Compute: containers and SSH keys',
      resources: {
        containers: { description: 'Containers (id: container id)', actions: ['create', 'read', 'update', 'delete'] },
        // An SSH key is immutable: replace it by deleting and adding.
        keys: { description: 'SSH public keys (id: key id)', actions: ['create', 'read', 'delete'] },
      },
    },
    storage: {
      description: 'Storage: namespaces and the files in them',
      resources: {
        namespaces: { description: 'Namespaces (id: namespace name)', actions: ['create', 'read', 'update', 'delete'] },
        files: { description: 'Files, in all namespaces or in one (id: namespace name)', actions: ['create', 'read', 'update', 'delete'] },
      },
    },
    networking: {
      description: 'Networking: custom domains and their mappings to containers',
      resources: {
        // A claimed domain is not edited in place: it is added, verified (read) or removed.
        domains: { description: 'Custom domains (id: domain id)', actions: ['create', 'read', 'delete'] },
        'domain-mappings': {
          description: 'Domain to container mappings (id: mapping id)',
          actions: ['create', 'read', 'update', 'delete'],
        },
      },
    },
    notifications: {
      description: 'Notifications: what the services tell this user, and the mutes',
      resources: {
        // Notifications are created by the services only: a token may list, mark read (update) and delete them.
        inbox: { description: 'Notifications (id: notification id)', actions: ['read', 'update', 'delete'] },
        mutes: { description: 'Muted categories and scopes', actions: ['read', 'update', 'delete'] },
      },
    },
    logs: {
      description: "Logs: the platform's log entries about this user's containers",
      resources: {
        // Entries are written by the services only: a token may search, tail and download them.
        entries: { description: "Log entries about the user's containers (search, live tail, download)", actions: ['read'] },
      },
    },
  },
} as const satisfies ScopeCatalog;

/** Shape of the catalogue (also what `GET /api/scopes` serialises). */
export interface ScopeCatalog {
  format: string;
  actions: readonly ScopeAction[];
  roots: Record<string, { description: string; resources: Record<string, { description: string; actions: readonly ScopeAction[] }> }>;
}

type Roots = typeof scopeCatalog.roots;
export type ScopeRoot = keyof Roots;
export type ScopeResource<R extends ScopeRoot = ScopeRoot> = R extends ScopeRoot ? keyof Roots[R]['resources'] & string : never;

export const SCOPE_ROOTS = Object.keys(scopeCatalog.roots) as ScopeRoot[];

// Object.hasOwn guards against `__proto__`, `constructor` and friends being mistaken for roots.
export function isScopeRoot(value: string): value is ScopeRoot {
  return Object.hasOwn(scopeCatalog.roots, value);
}

export function isScopeAction(value: unknown): value is ScopeAction {
  return typeof value === 'string' && (SCOPE_ACTIONS as readonly string[]).includes(value);
}

export function resourcesOf(root: ScopeRoot): string[] {
  return Object.keys(scopeCatalog.roots[root].resources);
}

export function isScopeResource(root: ScopeRoot, value: string): boolean {
  return Object.hasOwn(scopeCatalog.roots[root].resources, value);
}

/**
 * Actions meaningful on a scope: the resource's own list, or, for a user-level scope
 * (`storage.u1`), the union over the root's resources, in canonical order.
 */
export function actionsFor(root: ScopeRoot, resource?: string): readonly ScopeAction[] {
  const resources: Record<string, { actions: readonly ScopeAction[] }> = scopeCatalog.roots[root].resources;
  if (resource !== undefined) return Object.hasOwn(resources, resource) ? (resources[resource]?.actions ?? []) : [];
  const union = new Set(Object.values(resources).flatMap((r) => r.actions));
  return SCOPE_ACTIONS.filter((a) => union.has(a));
}

/** HTTP method -> the scope action it needs (GET/HEAD read, POST create, PUT/PATCH update, DELETE delete). */
export function actionForMethod(method: string): ScopeAction | undefined {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return 'read';
    case 'POST':
      return 'create';
    case 'PUT':
    case 'PATCH':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return undefined;
  }
}
