import { canAccess, type Principal } from '@edd/auth-client';
import { formatScope, isValidScopeId, type ScopeAction } from '@edd/scopes';

/** What an access check needs of a namespace. */
export interface NamespaceAccess {
  name: string;
  ownerId: string;
  visibility: 'private' | 'public';
}

/** Allowed, or why not: `not_found` hides a private namespace's existence, `forbidden` is for what all can see. */
export type AccessDecision =
  | { ok: true }
  | { ok: false; reason: 'unauthenticated' | 'not_found' | 'forbidden' }
  | { ok: false; reason: 'scope_missing'; scope: string };

const ALLOW: AccessDecision = { ok: true };

/**
 * The scope an API token needs: `storage.<owner>.<resource>.<ns>`, or `storage.<owner>.<resource>` for a name the
 * scope grammar cannot carry (names may contain ".", scope ids may not): a token then needs the broader grant.
 */
export function storageScope(ownerId: string, resource: 'files' | 'namespaces', namespace?: string): string {
  return formatScope('storage', ownerId, resource, namespace !== undefined && isValidScopeId(namespace) ? namespace : undefined);
}

/**
 * Reading a namespace's files (list, download). Deny first: no namespace, or a private one of someone else (or of
 * nobody logged in), is `not_found`, the same answer as a name that was never created. A public namespace is
 * readable by anyone; the owner's API token needs `files` read on a private one.
 */
export function decideFileRead(principal: Principal | undefined, ns: NamespaceAccess | undefined): AccessDecision {
  if (!ns) return { ok: false, reason: 'not_found' };
  if (ns.visibility === 'public') return ALLOW;
  if (!principal || principal.userId !== ns.ownerId) return { ok: false, reason: 'not_found' };
  return scoped(principal, storageScope(ns.ownerId, 'files', ns.name), 'read');
}

/**
 * Writing files (upload, overwrite, delete): only the owner, whoever else holds a session or a token. Others see
 * `not_found` for a private namespace and `forbidden` for a public one (its existence is no secret).
 */
export function decideFileWrite(principal: Principal | undefined, ns: NamespaceAccess | undefined, action: ScopeAction): AccessDecision {
  if (!principal) return { ok: false, reason: 'unauthenticated' };
  if (!ns) return { ok: false, reason: 'not_found' };
  if (principal.userId !== ns.ownerId) return { ok: false, reason: ns.visibility === 'public' ? 'forbidden' : 'not_found' };
  return scoped(principal, storageScope(ns.ownerId, 'files', ns.name), action);
}

/** Changing or deleting the namespace itself: only its owner, with `namespaces` scope for a token. */
export function decideNamespaceChange(
  principal: Principal | undefined,
  ns: NamespaceAccess | undefined,
  action: 'update' | 'delete',
): AccessDecision {
  if (!principal) return { ok: false, reason: 'unauthenticated' };
  if (!ns) return { ok: false, reason: 'not_found' };
  if (principal.userId !== ns.ownerId) return { ok: false, reason: ns.visibility === 'public' ? 'forbidden' : 'not_found' };
  return scoped(principal, storageScope(ns.ownerId, 'namespaces', ns.name), action);
}

function scoped(principal: Principal, scope: string, action: ScopeAction): AccessDecision {
  return canAccess(principal, scope, action) ? ALLOW : { ok: false, reason: 'scope_missing', scope };
}
