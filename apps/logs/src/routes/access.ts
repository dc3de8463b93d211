import { canAccess, requireScope } from '@edd/auth-client';
import type { Principal } from '@edd/auth-client';
import { formatScope } from '@edd/scopes';
import { principalOf } from './query';

/**
 * Who reads what, as plain predicates. A session reads as its user (an admin's session: every entry); an API token
 * needs `logs.<user_id>.entries` read, and then reads only entries about its user's containers (a token is never
 * admin, see ownerScope).
 */
export const entriesScope = (userId: string): string => formatScope('logs', userId, 'entries');

export const readsLogs = (principal: Principal): boolean => canAccess(principal, entriesScope(principal.userId), 'read');

/** In front of every HTTP route: 401 anonymous, 403 (`scope_missing`) a token without the logs scope. */
export const requireLogsRead = requireScope((req) => entriesScope(principalOf(req).userId), 'read');
