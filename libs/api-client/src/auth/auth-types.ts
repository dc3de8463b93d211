// Wire shapes of the auth service (snake_case, as the service sends them).

/** ISO-8601 string (what apps/auth sends); the public reference used Unix seconds, so readers accept both. */
export type Timestamp = string | number;

export type ScopeAction = 'create' | 'read' | 'update' | 'delete';
/** `"<root>.<user_id>[.<resource>[.<id>]]"` -> allowed actions. */
export type ScopeGrants = Record<string, ScopeAction[]>;
export type TokenExpiry = '30d' | '90d' | '365d' | 'never';

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  user_id: string;
  username: string;
  display_name: string;
  is_admin: boolean;
  /** The session JWT (also set as the HttpOnly `token` cookie). */
  token: string;
}

export interface SessionInfo {
  user_id: string;
  username: string;
  display_name: string;
  is_admin: boolean;
  session_id: string;
  expires_at?: Timestamp;
}

export interface SessionRecord {
  id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp | null;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
}

export interface StatusResponse {
  status: string;
}

export interface ProfileUpdate {
  display_name: string;
}

export interface ProfileUpdated {
  user_id: string;
  username: string;
  display_name: string;
}

export interface PasswordChanged {
  status: string;
  /** How many other sessions the change ended. */
  sessions_ended?: number;
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  scopes: ScopeGrants;
  expires_at: Timestamp | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  service_account_id?: string | null;
}

/** Only the creation response carries the secret. */
export interface CreatedApiToken extends ApiTokenRecord {
  token: string;
}

export interface CreateTokenRequest {
  name: string;
  scopes: ScopeGrants;
  /** Defaults to `never`. */
  expires_in?: TokenExpiry;
}

export interface ServiceAccount {
  id: string;
  name: string;
  scopes: ScopeGrants;
  token_count?: number;
  created_at: Timestamp;
}

export interface CreateServiceAccountRequest {
  name: string;
  scopes: ScopeGrants;
}

export interface CreateServiceAccountTokenRequest {
  name: string;
  expires_in?: TokenExpiry;
}

export interface AdminUser {
  user_id: string;
  username: string;
  display_name: string;
  is_admin: boolean;
  created_at: Timestamp | null;
}

export interface CreateUserRequest {
  username: string;
  password: string;
  /** Defaults to the username. */
  display_name?: string;
  is_admin?: boolean;
}

export type AdminSessionRecord = Omit<SessionRecord, 'current'> & { user_id: string; username: string };

/** `GET /api/scopes` (the `scopeCatalog` of libs/scopes): which roots, resources and actions a scope may name. */
export interface ScopeCatalogResponse {
  format?: string;
  actions?: ScopeAction[];
  roots: Record<string, { description?: string; resources: Record<string, { description?: string; actions: ScopeAction[] }> }>;
}

/** Internal `GET /api/tokens/:id/check` answer (service key required). */
export interface TokenCheckResult {
  valid: boolean;
  token_id?: string;
  user_id?: string;
  username?: string;
  kind?: 'user' | 'service_account';
  service_account_id?: string;
  scopes?: ScopeGrants;
  expires_at?: Timestamp | null;
  error?: string;
}

/** Internal `GET /api/identity-permissions`: every service account's current scopes. */
export interface IdentityPermission {
  service_account_id: string;
  owner_id: string;
  name: string;
  scopes: ScopeGrants;
}
