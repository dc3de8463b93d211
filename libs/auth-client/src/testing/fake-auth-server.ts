// A small but real stand-in for apps/auth (a lib's tests must not import an app): a JWKS endpoint
// serving real Ed25519 keys, real EdDSA session JWTs, `GET /api/session` backed by a session table,
// and `GET /internal/tokens/:id/check` over real `ecloud_` tokens stored as sha256(secret).
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet } from 'jose';
import type { JWK, CryptoKey } from 'jose';
import type { ScopeGrants } from '@edd/scopes';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const randomId = (length = 16): string => Array.from(randomBytes(length), (b) => BASE62[b % 62]).join('');
const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface StoredToken {
  secretHash: string;
  userId: string;
  username: string;
  scopes: ScopeGrants;
  serviceAccountId?: string;
  expiresAt: number | null;
  revoked: boolean;
}

export interface SessionUser {
  userId: string;
  username: string;
  isAdmin?: boolean;
}

export interface TicketGrantOptions {
  kind?: 'session' | 'api_token' | 'service_account';
  isAdmin?: boolean;
  sessionId?: string;
  tokenId?: string;
  scopes?: ScopeGrants;
  audience?: string;
  /** Default 30 s, as apps/auth. */
  ttlMs?: number;
}

export interface FakeAuth {
  url: string;
  serviceKey: string;
  calls: { jwks: number; check: number; session: number; redeem: number };
  /** Delay before every answer (to provoke client timeouts). */
  delayMs: number;
  issueSession(
    user: SessionUser,
    options?: { expiresInSeconds?: number; issuer?: string; audience?: string; key?: 'current' | 'foreign' },
  ): Promise<{ token: string; sessionId: string }>;
  revokeSession(sessionId: string): void;
  createToken(
    user: SessionUser,
    scopes: ScopeGrants,
    options?: { serviceAccountId?: string; expiresAt?: number | null },
  ): { id: string; token: string };
  revokeToken(id: string): void;
  /** A single-use ticket, as `POST /api/tickets` of apps/auth issues; redeemed by `POST /internal/tickets/redeem`. */
  issueTicket(user: SessionUser, options?: TicketGrantOptions): string;
  /** Makes a ticket expire now (the real one lives 30 s). */
  expireTicket(ticket: string): void;
  setServiceAccountScopes(serviceAccountId: string, scopes: ScopeGrants): void;
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomId(12);
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

export async function startFakeAuth(): Promise<FakeAuth> {
  const serviceKey = `svc-${randomId(24)}`;
  const keys: SigningKey[] = [await newKey()];
  const foreign = await newKey();
  const liveSessions = new Set<string>();
  const tokens = new Map<string, StoredToken>();
  const tickets = new Map<string, { grant: Record<string, unknown>; expiresAt: number }>();
  const calls = { jwks: 0, check: 0, session: 0, redeem: 0 };
  const state = { delayMs: 0 };
  const jwks = () => ({ keys: keys.map((k) => k.publicJwk) });

  const app = express();
  app.use(async (_req, _res, next) => {
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    next();
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    calls.jwks += 1;
    res.json(jwks());
  });
  app.get('/api/session', async (req, res) => {
    calls.session += 1;
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks()), {
        issuer: 'edd-cloud-auth',
        audience: 'edd-cloud',
        algorithms: ['EdDSA'],
      });
      if (typeof payload['sid'] !== 'string' || !liveSessions.has(payload['sid'])) throw new Error('revoked');
      res.json({
        user_id: payload.sub,
        username: payload['username'],
        display_name: payload['display_name'],
        is_admin: payload['is_admin'],
        session_id: payload['sid'],
      });
    } catch {
      res.status(401).json({ error: 'authentication required' });
    }
  });
  app.post('/internal/tickets/redeem', express.json(), (req, res) => {
    calls.redeem += 1;
    if (req.headers['x-service-key'] !== serviceKey) return void res.status(401).json({ error: 'invalid service key' });
    const ticket = String((req.body as { ticket?: unknown } | undefined)?.ticket ?? '');
    const stored = tickets.get(ticket);
    tickets.delete(ticket); // single use, like GETDEL
    if (!stored || stored.expiresAt <= Date.now()) return void res.status(401).json({ valid: false, error: 'invalid or expired ticket' });
    res.json({ valid: true, ...stored.grant });
  });
  app.get('/internal/tokens/:id/check', (req, res) => {
    calls.check += 1;
    // As apps/auth: the gateway's X-Forwarded-Host -> 403, a wrong key -> 401 without `valid` (not a token verdict).
    if (req.headers['x-forwarded-host'])
      return void res.status(403).json({ error: 'internal endpoint: not reachable through the gateway' });
    if (req.headers['x-service-key'] !== serviceKey) return void res.status(401).json({ error: 'invalid service key' });
    const match = /^Bearer ecloud_([0-9A-Za-z]+)_([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
    const stored = tokens.get(req.params.id);
    const valid =
      match &&
      match[1] === req.params.id &&
      stored &&
      !stored.revoked &&
      sha256(match[2] ?? '') === stored.secretHash &&
      (stored.expiresAt === null || stored.expiresAt * 1000 > Date.now());
    if (!valid || !stored) return void res.status(401).json({ valid: false, error: 'invalid token' });
    res.json({
      valid: true,
      token_id: req.params.id,
      user_id: stored.userId,
      username: stored.username,
      kind: stored.serviceAccountId ? 'service_account' : 'user',
      ...(stored.serviceAccountId ? { service_account_id: stored.serviceAccountId } : {}),
      scopes: stored.scopes,
      expires_at: stored.expiresAt,
    });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    serviceKey,
    calls,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    async issueSession(user, options = {}) {
      const sessionId = randomId(20);
      const key = options.key === 'foreign' ? { ...foreign, kid: keys[keys.length - 1]?.kid ?? foreign.kid } : keys[keys.length - 1];
      if (!key) throw new Error('no key');
      liveSessions.add(sessionId);
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        sid: sessionId,
        username: user.username,
        display_name: user.username,
        is_admin: user.isAdmin ?? false,
      })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
        .setSubject(user.userId)
        .setIssuer(options.issuer ?? 'edd-cloud-auth')
        .setAudience(options.audience ?? 'edd-cloud')
        .setIssuedAt(now - 10)
        .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
        .sign(key.privateKey);
      return { token, sessionId };
    },
    revokeSession(sessionId) {
      liveSessions.delete(sessionId);
    },
    createToken(user, scopes, options = {}) {
      const id = randomId(16);
      const secret = randomBytes(32).toString('base64url');
      tokens.set(id, {
        secretHash: sha256(secret),
        userId: user.userId,
        username: user.username,
        scopes,
        ...(options.serviceAccountId ? { serviceAccountId: options.serviceAccountId } : {}),
        expiresAt: options.expiresAt ?? null,
        revoked: false,
      });
      return { id, token: `ecloud_${id}_${secret}` };
    },
    revokeToken(id) {
      const stored = tokens.get(id);
      if (stored) stored.revoked = true;
    },
    issueTicket(user, options = {}) {
      const ticket = randomBytes(32).toString('base64url');
      const kind = options.kind ?? 'session';
      const grant = {
        user_id: user.userId,
        username: user.username,
        is_admin: options.isAdmin ?? user.isAdmin ?? false,
        kind,
        ...(kind === 'session' ? { session_id: options.sessionId ?? randomId(20) } : { token_id: options.tokenId ?? randomId(16) }),
        ...(options.scopes ? { scopes: options.scopes } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
      };
      tickets.set(ticket, { grant, expiresAt: Date.now() + (options.ttlMs ?? 30_000) });
      return ticket;
    },
    expireTicket(ticket) {
      const stored = tickets.get(ticket);
      if (stored) stored.expiresAt = 0;
    },
    setServiceAccountScopes(serviceAccountId, scopes) {
      for (const stored of tokens.values()) if (stored.serviceAccountId === serviceAccountId) stored.scopes = scopes;
    },
    async rotateKey() {
      keys.push(await newKey());
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
