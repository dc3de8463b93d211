import type { Logger } from '@edd/logger';
import { isScopeAction } from '@edd/scopes';
import type { ScopeGrants } from '@edd/scopes';
import { z } from 'zod';
import { apiTokenId, tokenCacheKey } from './api-token';
import { authErrors } from './errors';
import { getJson } from './fetch-json';
import type { Principal } from './principal';
import { RevokedIds } from './revoked-ids';

export interface ApiTokenCheckerOptions {
  authBaseUrl: string;
  serviceKey: string;
  ttlMs: number;
  timeoutMs: number;
  logger?: Logger;
  maxEntries?: number;
}

// `GET /internal/tokens/:id/check` (X-Service-Key): the auth service is the only reader of token permissions.
const checkResponse = z.object({
  valid: z.literal(true),
  token_id: z.string().min(1),
  user_id: z.string().min(1),
  username: z.string(),
  kind: z.enum(['user', 'service_account']),
  service_account_id: z.string().min(1).nullish(),
  scopes: z.record(z.string(), z.array(z.unknown())),
  expires_at: z.union([z.number(), z.string(), z.null()]).optional(),
});

interface CacheEntry {
  principal: Principal;
  until: number;
}

const REVOKED_TOKEN_MEMORY_MS = 24 * 60 * 60_000;

/**
 * Checks `ecloud_` API tokens with the auth service, caching answers for `ttlMs` under
 * sha256(token). Revocation events (`forgetToken`, `forgetServiceAccount`, `forgetUser`) drop
 * entries at once, and a revoked token id is refused without asking again.
 */
export class ApiTokenChecker {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<Principal>>();
  private readonly revoked = new RevokedIds(REVOKED_TOKEN_MEMORY_MS);
  // Bumped by every invalidation: an answer fetched before one is used but not cached.
  private epoch = 0;

  constructor(private readonly options: ApiTokenCheckerOptions) {}

  async check(token: string): Promise<Principal> {
    const id = apiTokenId(token);
    if (id === undefined) throw authErrors.invalidCredential('invalid API token');
    if (this.revoked.has(id)) throw authErrors.invalidCredential('API token revoked');

    const key = tokenCacheKey(token);
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;
    this.cache.delete(key);

    // Concurrent requests with the same uncached token share one check.
    const pending = this.inflight.get(key) ?? this.fetchAndRemember(key, id, token);
    this.inflight.set(key, pending);
    try {
      return await pending;
    } finally {
      if (this.inflight.get(key) === pending) this.inflight.delete(key);
    }
  }

  private async fetchAndRemember(key: string, id: string, token: string): Promise<Principal> {
    const epoch = this.epoch;
    const { principal, expiresAt } = await this.ask(id, token);
    if (this.revoked.has(id)) throw authErrors.invalidCredential('API token revoked');
    if (epoch === this.epoch) this.remember(key, principal, Math.min(Date.now() + this.options.ttlMs, expiresAt));
    return principal;
  }

  forgetToken(tokenId: string): void {
    this.revoked.add(tokenId);
    this.drop((p) => p.tokenId === tokenId);
  }

  forgetServiceAccount(serviceAccountId: string): void {
    this.drop((p) => p.serviceAccountId === serviceAccountId);
  }

  forgetUser(userId: string): void {
    this.drop((p) => p.userId === userId);
  }

  get cachedCount(): number {
    return this.cache.size;
  }

  private drop(match: (principal: Principal) => boolean): void {
    this.epoch += 1;
    for (const [key, entry] of this.cache) if (match(entry.principal)) this.cache.delete(key);
  }

  private remember(key: string, principal: Principal, until: number): void {
    if (until <= Date.now()) return;
    this.cache.set(key, { principal, until });
    if (this.cache.size > (this.options.maxEntries ?? 10_000)) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }

  private async ask(id: string, token: string): Promise<{ principal: Principal; expiresAt: number }> {
    const url = `${this.options.authBaseUrl}/internal/tokens/${encodeURIComponent(id)}/check`;
    const { status, body } = await getJson(
      url,
      { 'x-service-key': this.options.serviceKey, authorization: `Bearer ${token}` },
      this.options.timeoutMs,
    );
    // The token is refused: 401 `{valid: false, ...}` (404 in the public reference's older wording).
    if (status === 404 || (status === 401 && (body as { valid?: unknown } | undefined)?.valid === false)) {
      throw authErrors.invalidCredential('invalid or revoked API token');
    }
    if (status !== 200) {
      // Any other 401/403 means *we* were refused (service key, or called through the gateway): a deployment
      // problem, not the caller's, so 503 rather than blaming their token.
      this.options.logger?.error('auth token check failed: check SERVICE_API_KEY and that authBaseUrl is the auth service itself', {
        tokenId: id,
        status,
      });
      throw authErrors.unavailable();
    }
    const parsed = checkResponse.safeParse(body);
    if (!parsed.success || parsed.data.token_id !== id) {
      this.options.logger?.error('auth token check answered an unexpected body', { tokenId: id });
      throw authErrors.unavailable();
    }
    const data = parsed.data;
    const serviceAccountId = data.service_account_id ?? undefined;
    const principal: Principal = {
      userId: data.user_id,
      username: data.username,
      isAdmin: false,
      kind: data.kind === 'service_account' ? 'service_account' : 'api_token',
      tokenId: id,
      ...(serviceAccountId ? { serviceAccountId } : {}),
      scopes: onlyKnownActions(data.scopes),
    };
    // The same object serves every cached request: frozen, so no handler can alter it for the next one.
    return { principal: deepFreeze(principal), expiresAt: expiryMs(data.expires_at) };
  }
}

function onlyKnownActions(scopes: Record<string, unknown[]>): ScopeGrants {
  // fromEntries defines own properties: a "__proto__" key stays an (unusable) scope, not a prototype.
  return Object.fromEntries(Object.entries(scopes).map(([scope, actions]) => [scope, actions.filter(isScopeAction)]));
}

/** `expires_at` as unix seconds, ms, an ISO date, or null/0 for "never". */
function expiryMs(value: number | string | null | undefined): number {
  if (value === null || value === undefined || value === 0) return Number.POSITIVE_INFINITY;
  if (typeof value === 'number') return value < 1e12 ? value * 1000 : value;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? Number.POSITIVE_INFINITY : parsed;
}

function deepFreeze(principal: Principal): Principal {
  for (const actions of Object.values(principal.scopes ?? {})) Object.freeze(actions);
  Object.freeze(principal.scopes);
  return Object.freeze(principal);
}
