export { createAuthClient } from './create-auth-client';
export type { AuthClient, AuthClientOptions } from './create-auth-client';
export { authenticate } from './authenticate';
export type { AuthenticateOptions } from './authenticate';
export type { Principal, PrincipalKind } from './principal';
export { canAccess } from './can-access';
export { requireAuth, requireSession, requireAdmin, requireScope } from './guards';
/** @deprecated auth-client's refusals are the platform's HttpError (from @edd/http); the old name stays for callers. */
export { HttpError as AuthError } from '@edd/http';
export { findCredential, readCookie, SESSION_COOKIE } from './credentials';
export type { CredentialLookup, CredentialRequest, CredentialSource } from './credentials';
export type { RedeemedTicket } from './ticket-redeemer';
export { REVOCATION_EVENT_TYPES } from './revocation-feed';
export type { RevocationBus, RevocationEventType } from './revocation-feed';
export { API_TOKEN_PREFIX, apiTokenId, looksLikeApiToken, parseApiToken } from './api-token';
