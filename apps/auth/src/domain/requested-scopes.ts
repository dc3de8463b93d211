import { HttpError } from '@edd/http';
import { validateScopeGrants, type ScopeGrants } from '@edd/scopes';

/** The one scope check for tokens and service accounts: grammar, catalogue, actions, and "your own user id only". */
export function requireValidScopes(scopes: unknown, ownerId: string): ScopeGrants {
  const result = validateScopeGrants(scopes, { ownerId });
  if (!result.ok) {
    const details = result.errors.slice(0, 20).map((message) => ({ path: 'scopes', message }));
    throw new HttpError('invalid_scope', result.errors.slice(0, 5).join('; '), { details });
  }
  return result.grants;
}
