import type { AdminSessionRecord, AdminUser, ApiTokenRecord, ServiceAccount, SessionRecord } from '@edd/api-contracts';
import type { TokenRow } from '../data/api-tokens';
import type { ServiceAccountRow } from '../data/service-accounts';
import type { SessionRow, SessionWithOwner } from '../data/sessions';
import type { UserRow } from '../data/users';

// Response shapes (snake_case), typed by the API contract the clients read (@edd/api-contracts). Timestamps are ISO 8601
// strings; absent ones are null.

function iso(date: Date): string;
function iso(date: Date | null): string | null;
function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function userView(user: UserRow, isAdmin: boolean): AdminUser {
  return {
    user_id: user.publicId,
    username: user.username,
    display_name: user.displayName,
    is_admin: isAdmin,
    created_at: iso(user.createdAt),
  };
}

export function sessionView(session: SessionRow, currentId?: string): SessionRecord {
  return {
    id: session.id,
    created_at: iso(session.createdAt),
    last_seen_at: iso(session.lastSeenAt),
    expires_at: iso(session.expiresAt),
    ip: session.ip,
    user_agent: session.userAgent,
    current: session.id === currentId,
  };
}

export function adminSessionView(session: SessionWithOwner): AdminSessionRecord {
  const { current: _current, ...rest } = sessionView(session);
  return { ...rest, user_id: session.userPublicId, username: session.username };
}

export function tokenView(token: TokenRow): ApiTokenRecord {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    expires_at: iso(token.expiresAt),
    created_at: iso(token.createdAt),
    last_used_at: iso(token.lastUsedAt),
    service_account_id: token.serviceAccountId,
  };
}

export function serviceAccountView(account: ServiceAccountRow): ServiceAccount {
  return {
    id: account.id,
    name: account.name,
    scopes: account.scopes,
    token_count: account.tokenCount,
    created_at: iso(account.createdAt),
  };
}
