import { actionsFor, isScopeAction } from './catalog';
import type { ScopeAction, ScopeGrants } from './catalog';
import { parseScope } from './parse-scope';
import type { ParsedScope } from './parse-scope';

/**
 * Does `grants` allow `action` on `requested`? Cascade: a grant on a broader scope satisfies a
 * narrower request (`storage.u1` covers `storage.u1.files.photos`), never the other way round.
 * Parts are compared segment by segment, never by string prefix (`storage.u1` must not cover
 * `storage.u10.files`). Fails closed: a malformed request or grant, an unknown action, or an
 * action the resource does not have, allows nothing. A bare root (`storage`) never parses, so it
 * grants nothing.
 */
export function hasScope(grants: ScopeGrants | undefined, requested: string, action: ScopeAction): boolean {
  if (!grants || !isScopeAction(action)) return false;
  const want = parseScope(requested);
  if (!want.ok) return false;
  if (!actionsFor(want.root, want.resource).includes(action)) return false;

  for (const [scope, actions] of Object.entries(grants)) {
    if (!Array.isArray(actions) || !actions.includes(action)) continue;
    const grant = parseScope(scope);
    if (grant.ok && covers(grant, want)) return true;
  }
  return false;
}

/** True when `grant` is `want` or a broader scope of the same user that contains it. */
export function covers(grant: ParsedScope, want: ParsedScope): boolean {
  if (grant.root !== want.root || grant.userId !== want.userId) return false;
  if (grant.resource === undefined) return true;
  if (grant.resource !== want.resource) return false;
  if (grant.id === undefined) return true;
  return grant.id === want.id;
}
