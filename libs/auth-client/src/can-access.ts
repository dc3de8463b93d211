import { actionsFor, hasScope, isScopeAction, parseScope } from '@edd/scopes';
import type { ScopeAction } from '@edd/scopes';
import type { Principal } from './principal';

/**
 * May `principal` perform `action` on the resource named by `scope`? Deny first:
 * - nobody, a malformed scope, or an action the resource does not have: no;
 * - a scope of another user: no, whoever asks. Admins included: admin powers live on the
 *   admin endpoints (`requireAdmin`), never as implicit access to other users' resources;
 * - a session: yes, on its own user's resources (sessions hold full access to their own things);
 * - an API token / service account: only what its grants cover (cascade in @edd/scopes).
 */
export function canAccess(principal: Principal | undefined, scope: string, action: ScopeAction): boolean {
  if (!principal || !isScopeAction(action)) return false;
  const parsed = parseScope(scope);
  if (!parsed.ok) return false;
  if (!actionsFor(parsed.root, parsed.resource).includes(action)) return false;
  if (parsed.userId !== principal.userId) return false;
  if (principal.kind === 'session') return true;
  return hasScope(principal.scopes, scope, action);
}
