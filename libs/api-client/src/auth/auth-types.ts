// Wire shapes of the auth service: the zod schemas of @edd/api-contracts are the source (the service parses request
// bodies with them), re-exported under the names this client has always used. Types only: no zod in the bundle.
export type {
  AdminSessionRecord,
  AdminUser,
  ApiTokenRecord,
  CreateServiceAccountRequest,
  CreateServiceAccountTokenRequest,
  CreateTokenRequest,
  CreateUserRequest,
  CreatedApiToken,
  IdentityPermission,
  LoginRequest,
  LoginResponse,
  PasswordChange,
  PasswordChanged,
  ProfileUpdate,
  ProfileUpdated,
  ScopeAction,
  ScopeCatalogResponse,
  ScopeGrants,
  ServiceAccount,
  SessionInfo,
  SessionRecord,
  StatusResponse,
  Timestamp,
  TokenCheckResult,
  TokenExpiry,
} from '@edd/api-contracts';

/** `POST /api/tickets`: a single-use credential (30 s) for `?ticket=` on a WebSocket or EventSource, which cannot send headers. */
export interface LiveTicket {
  ticket: string;
  expires_at: string;
}
