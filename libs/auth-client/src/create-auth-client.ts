import { HttpError, sendHttpError } from '@edd/http';
import type { Logger } from '@edd/logger';
import type { ScopeAction } from '@edd/scopes';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { looksLikeApiToken } from './api-token';
import { ApiTokenChecker } from './api-token-checker';
import { findCredential } from './credentials';
import { authErrors } from './errors';
import { requireAdmin, requireAuth, requireScope, requireSession } from './guards';
import type { Principal } from './principal';
import { followRevocations } from './revocation-feed';
import type { RevocationBus } from './revocation-feed';
import { RevokedIds } from './revoked-ids';
import { createSessionVerifier } from './session-verifier';
import { redeemTicket, type RedeemedTicket } from './ticket-redeemer';
import { SessionLiveness } from './session-liveness';

export interface AuthClientOptions {
  /** e.g. `http://127.0.0.1:4001` (no trailing slash needed). */
  authBaseUrl: string;
  /** SERVICE_API_KEY, sent as `X-Service-Key` to the internal token check. */
  serviceKey: string;
  /** Default `<authBaseUrl>/.well-known/jwks.json`. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Revocations arrive through it within a second; without it only the liveness check and the token TTL apply. */
  bus?: RevocationBus;
  /** How long an API token check answer is reused (default 30 s). */
  tokenCacheTtlMs?: number;
  /** How long a session's "still live" answer from the auth service is reused (default 60 s); 0 = never ask. */
  sessionCheckTtlMs?: number;
  /** Deadline of every call to the auth service (default 3 s). */
  timeoutMs?: number;
  logger?: Logger;
}

export interface AuthClient {
  /** Sets `req.principal` when a credential verifies; leaves it unset when none was presented. */
  authenticate: RequestHandler;
  requireAuth: RequestHandler;
  requireSession: RequestHandler;
  requireAdmin: RequestHandler;
  requireScope(scopeOf: (req: Request) => string, action: ScopeAction): RequestHandler;
  /** Verifies one credential (session JWT or `ecloud_` token); rejects with HttpError (invalid_credential 401 / unavailable 503). */
  verify(token: string): Promise<Principal>;
  /** Redeems a single-use ticket (`POST /api/tickets` of auth) for its principal; rejects with AuthError (401 / 503). */
  redeemTicket(ticket: string): Promise<RedeemedTicket>;
  /** Settles once the revocation subscription was first attempted (immediately without a bus). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const SESSION_REVOCATION_MEMORY_MS = 31 * 24 * 60 * 60_000; // longer than any session lifetime

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const base = options.authBaseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 3_000;
  const logger = options.logger;
  const sessionCheckTtlMs = options.sessionCheckTtlMs ?? 60_000;

  const verifySession = createSessionVerifier({
    jwksUrl: options.jwksUrl ?? `${base}/.well-known/jwks.json`,
    issuer: options.issuer ?? 'edd-cloud-auth',
    audience: options.audience ?? 'edd-cloud',
    timeoutMs,
  });
  const tokens = new ApiTokenChecker({
    authBaseUrl: base,
    serviceKey: options.serviceKey,
    ttlMs: options.tokenCacheTtlMs ?? 30_000,
    timeoutMs,
    logger,
  });
  const liveness = new SessionLiveness({ authBaseUrl: base, ttlMs: sessionCheckTtlMs, staleMs: 5 * 60_000, timeoutMs, logger });
  const revokedSessions = new RevokedIds(SESSION_REVOCATION_MEMORY_MS);
  const deletedUsers = new RevokedIds(SESSION_REVOCATION_MEMORY_MS);

  const feed = options.bus
    ? followRevocations(
        options.bus,
        {
          sessionInvalidated: (id) => {
            revokedSessions.add(id);
            liveness.forget(id);
          },
          tokenRevoked: (id) => tokens.forgetToken(id),
          userDeleted: (id) => {
            deletedUsers.add(id);
            tokens.forgetUser(id);
          },
          serviceAccountChanged: (id) => tokens.forgetServiceAccount(id),
        },
        logger,
      )
    : undefined;

  async function verify(token: string): Promise<Principal> {
    if (looksLikeApiToken(token)) {
      const principal = await tokens.check(token);
      if (deletedUsers.has(principal.userId)) throw authErrors.invalidCredential('invalid or revoked API token');
      return principal;
    }
    const { principal } = await verifySession(token);
    if (revokedSessions.has(principal.sessionId) || deletedUsers.has(principal.userId)) {
      throw authErrors.invalidCredential('session revoked');
    }
    if (sessionCheckTtlMs > 0) {
      try {
        await liveness.ensureLive(principal.sessionId, token);
      } catch (error) {
        if (error instanceof HttpError && error.code === 'invalid_credential') revokedSessions.add(principal.sessionId);
        throw error;
      }
    }
    return principal;
  }

  async function redeem(ticket: string): Promise<RedeemedTicket> {
    const redeemed = await redeemTicket({ authBaseUrl: base, serviceKey: options.serviceKey, timeoutMs, logger }, ticket);
    const { principal } = redeemed;
    // Revoked between issue and redeem (at most 30 s): the events we already saw win.
    if (deletedUsers.has(principal.userId) || (principal.sessionId !== undefined && revokedSessions.has(principal.sessionId))) {
      throw authErrors.invalidCredential('invalid or expired ticket');
    }
    return redeemed;
  }

  const authenticate: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    req.principal = undefined;
    const found = findCredential(req);
    if (found.kind === 'none') return next();
    // A stale `token` cookie is ambient, not chosen: ignore it so public routes (and login) keep working;
    // guards still answer 401. Explicit credentials (header, query) that fail are refused here.
    if (found.kind === 'malformed') {
      if (found.source === 'cookie') return next();
      return sendHttpError(res, authErrors.invalidCredential(found.reason));
    }
    try {
      req.principal = await verify(found.token);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.code === 'invalid_credential' && found.source === 'cookie') return next();
      if (error.code === 'unavailable') logger?.warn('auth-client: cannot verify credential', { source: found.source });
      return sendHttpError(res, error);
    }
    next();
  };

  return {
    authenticate,
    requireAuth,
    requireSession,
    requireAdmin,
    requireScope,
    verify,
    redeemTicket: redeem,
    ready: async () => {
      await feed?.ready;
    },
    close: async () => {
      await feed?.stop();
    },
  };
}
