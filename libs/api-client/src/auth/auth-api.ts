import { createJsonClient, segment, type ClientOptions } from '../json-client';
import type {
  AdminSessionRecord,
  AdminUser,
  ApiTokenRecord,
  CreateServiceAccountRequest,
  CreateServiceAccountTokenRequest,
  CreateTokenRequest,
  CreateUserRequest,
  CreatedApiToken,
  IdentityPermission,
  LiveTicket,
  LoginRequest,
  LoginResponse,
  PasswordChange,
  PasswordChanged,
  ProfileUpdate,
  ProfileUpdated,
  ScopeCatalogResponse,
  ScopeGrants,
  ServiceAccount,
  SessionInfo,
  SessionRecord,
  StatusResponse,
  TokenCheckResult,
} from './auth-types';

/** Typed client for the public auth API (session cookie or Bearer token). */
export function createAuthApi(options: ClientOptions) {
  const { request } = createJsonClient(options);
  return {
    login: (body: LoginRequest) => request<LoginResponse>('POST', '/api/login', body),
    logout: () => request<StatusResponse>('POST', '/api/logout'),
    session: () => request<SessionInfo>('GET', '/api/session'),
    /** A ticket for one live connection to `audience` (a service name, e.g. `compute`); other services refuse it. */
    issueTicket: (audience: string) => request<LiveTicket>('POST', '/api/tickets', { audience }),

    listSessions: () => request<SessionRecord[]>('GET', '/api/sessions'),
    revokeSession: (id: string) => request<StatusResponse>('DELETE', `/api/sessions/${segment(id)}`),
    updateProfile: (body: ProfileUpdate) => request<ProfileUpdated>('PUT', '/api/settings/profile', body),
    changePassword: (body: PasswordChange) => request<PasswordChanged>('PUT', '/api/settings/password', body),

    scopeCatalog: () => request<ScopeCatalogResponse>('GET', '/api/scopes'),
    listTokens: () => request<ApiTokenRecord[]>('GET', '/api/tokens'),
    createToken: (body: CreateTokenRequest) => request<CreatedApiToken>('POST', '/api/tokens', body),
    revokeToken: (id: string) => request<StatusResponse>('DELETE', `/api/tokens/${segment(id)}`),

    listServiceAccounts: () => request<ServiceAccount[]>('GET', '/api/service-accounts'),
    getServiceAccount: (id: string) => request<ServiceAccount>('GET', `/api/service-accounts/${segment(id)}`),
    createServiceAccount: (body: CreateServiceAccountRequest) => request<ServiceAccount>('POST', '/api/service-accounts', body),
    updateServiceAccountScopes: (id: string, scopes: ScopeGrants) =>
      request<ServiceAccount & StatusResponse>('PUT', `/api/service-accounts/${segment(id)}/scopes`, { scopes }),
    deleteServiceAccount: (id: string) => request<StatusResponse>('DELETE', `/api/service-accounts/${segment(id)}`),
    listServiceAccountTokens: (id: string) => request<ApiTokenRecord[]>('GET', `/api/service-accounts/${segment(id)}/tokens`),
    createServiceAccountToken: (id: string, body: CreateServiceAccountTokenRequest) =>
      request<CreatedApiToken>('POST', `/api/service-accounts/${segment(id)}/tokens`, body),

    admin: {
      listUsers: () => request<AdminUser[]>('GET', '/api/admin/users'),
      createUser: (body: CreateUserRequest) => request<AdminUser>('POST', '/api/admin/users', body),
      deleteUser: (id: string) => request<StatusResponse>('DELETE', `/api/admin/users/${segment(id)}`),
      listSessions: () => request<AdminSessionRecord[]>('GET', '/api/admin/sessions'),
    },
  };
}

export type AuthApi = ReturnType<typeof createAuthApi>;

export interface AuthInternalOptions extends Omit<ClientOptions, 'token' | 'credentials'> {
  /** `SERVICE_API_KEY`; these routes are reachable only service-to-service, never through the gateway. */
  serviceKey: string;
}

/** Service-to-service auth endpoints (header `X-Service-Key`). */
export function createAuthInternalApi(options: AuthInternalOptions) {
  const { request } = createJsonClient({ ...options, headers: { ...options.headers, 'x-service-key': options.serviceKey } });
  return {
    /** Validity and scopes of an `ecloud_<id>_<secret>` token. A refused token answers 401 (thrown as ApiError). */
    checkToken: async (apiToken: string) =>
      request<TokenCheckResult>('GET', `/internal/tokens/${segment(tokenIdOf(apiToken))}/check`, undefined, {
        authorization: `Bearer ${apiToken}`,
      }),
    listUsers: () => request<AdminUser[]>('GET', '/internal/users'),
    identityPermissions: () => request<IdentityPermission[]>('GET', '/internal/identity-permissions'),
  };
}

/** `ecloud_<tokenId>_<secret>` -> tokenId (base62, never `_`; the base64url secret may itself hold `_`). */
export function tokenIdOf(apiToken: string): string {
  const match = /^ecloud_([0-9A-Za-z]+)_/.exec(apiToken);
  if (!match?.[1]) throw new Error('not an ecloud_ API token');
  return match[1];
}
