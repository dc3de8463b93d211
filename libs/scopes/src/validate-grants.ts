import { SCOPE_ACTIONS, actionsFor, isScopeAction } from './catalog';
import type { ScopeAction, ScopeGrants } from './catalog';
import { parseScope } from './parse-scope';

export interface ValidateScopeGrantsOptions {
  /** The user the token / service account belongs to: every scope must name this user id. */
  ownerId: string;
  /** Most scopes in one set (default 50). */
  maxEntries?: number;
  /** Accept `{}` (default false: a token that grants nothing is a mistake). */
  allowEmpty?: boolean;
}

export type ValidateScopeGrantsResult = { ok: true; grants: ScopeGrants } | { ok: false; errors: string[] };

export const DEFAULT_MAX_SCOPE_ENTRIES = 50;
const ACTION_LIST = 'create, read, update or delete';

// Keys come from the client: quote them, and cut very long ones so one bad key cannot flood the answer.
const show = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/**
 * Validates a requested scope set (`POST /api/tokens`, service accounts): an object mapping
 * well-formed scopes on the owner's own user id to non-empty lists of actions allowed on that
 * resource. Collects every problem; on success returns the set with actions de-duplicated and in
 * canonical order.
 */
export function validateScopeGrants(grants: unknown, options: ValidateScopeGrantsOptions): ValidateScopeGrantsResult {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_SCOPE_ENTRIES;
  if (typeof grants !== 'object' || grants === null || Array.isArray(grants)) {
    return {
      ok: false,
      errors: ['scopes must be an object mapping each scope to a list of actions, e.g. {"storage.<user_id>.files": ["read"]}'],
    };
  }
  const entries = Object.entries(grants);
  if (entries.length === 0 && !options.allowEmpty) return { ok: false, errors: ['scopes must grant at least one scope'] };
  if (entries.length > maxEntries) return { ok: false, errors: [`too many scopes (${entries.length}): at most ${maxEntries}`] };

  const errors: string[] = [];
  const out: ScopeGrants = {};
  for (const [scope, actions] of entries) {
    const problem = scopeProblem(scope, options.ownerId) ?? actionsProblem(scope, actions);
    if (problem) errors.push(`scope ${show(scope)}: ${problem}`);
    else out[scope] = SCOPE_ACTIONS.filter((a) => (actions as unknown[]).includes(a));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, grants: out };
}

function scopeProblem(scope: string, ownerId: string): string | undefined {
  const parsed = parseScope(scope);
  if (!parsed.ok) return parsed.error;
  if (parsed.userId !== ownerId) {
    return `names user ${show(parsed.userId)}, but scopes may only name your own user id ${show(ownerId)}`;
  }
  return undefined;
}

function actionsProblem(scope: string, actions: unknown): string | undefined {
  if (!Array.isArray(actions) || actions.length === 0) return `actions must be a non-empty list of ${ACTION_LIST}`;
  const unknown = actions.find((a) => !isScopeAction(a));
  if (unknown !== undefined)
    return `unknown action ${typeof unknown === 'string' ? show(unknown) : String(unknown)}: expected ${ACTION_LIST}`;

  // The scope parsed in scopeProblem(), so root and resource are known here.
  const parsed = parseScope(scope);
  if (!parsed.ok) return parsed.error;
  const allowed = actionsFor(parsed.root, parsed.resource);
  const refused = (actions as ScopeAction[]).find((a) => !allowed.includes(a));
  if (refused !== undefined) {
    const where = parsed.resource ? `${parsed.root} ${parsed.resource}` : parsed.root;
    return `action ${show(refused)} is not allowed on ${where} (allowed: ${allowed.join(', ')})`;
  }
  return undefined;
}
