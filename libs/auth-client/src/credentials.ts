import type { IncomingMessage } from 'node:http';

export type CredentialSource = 'header' | 'cookie' | 'query';

export type CredentialLookup =
  | { kind: 'none' }
  | { kind: 'found'; token: string; source: CredentialSource }
  | { kind: 'malformed'; source: CredentialSource; reason: string };

/** What findCredential reads: an Express request, or a bare IncomingMessage (a WebSocket upgrade). */
export type CredentialRequest = Pick<IncomingMessage, 'headers' | 'url'> & { originalUrl?: string };

export const SESSION_COOKIE = 'token';
const MAX_CREDENTIAL_LENGTH = 4096;

/**
 * Finds the caller's credential: `Authorization: Bearer` first (explicit), then the `token` cookie
 * (the dashboard's session), then `?token=` (EventSource and WebSocket cannot set headers).
 */
export function findCredential(req: CredentialRequest): CredentialLookup {
  const header = req.headers.authorization;
  if (header !== undefined) {
    // RFC 6750 §2.1: `Bearer` + one space + the token; the scheme is case-insensitive (RFC 9110 §11.1).
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match?.[1]) return { kind: 'malformed', source: 'header', reason: 'Authorization header must be "Bearer <token>"' };
    return checked(match[1], 'header');
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (cookie !== undefined) return checked(cookie, 'cookie');

  const query = queryValues(req.originalUrl ?? req.url ?? '', 'token');
  if (query.length > 1) return { kind: 'malformed', source: 'query', reason: 'more than one token query parameter' };
  if (query[0] !== undefined) return checked(query[0], 'query');
  return { kind: 'none' };
}

function checked(token: string, source: CredentialSource): CredentialLookup {
  if (token.length === 0 || token.length > MAX_CREDENTIAL_LENGTH) return { kind: 'malformed', source, reason: 'invalid credential' };
  return { kind: 'found', token, source };
}

/**
 * The value of cookie `name` from a Cookie header (RFC 6265 §5.4: `name=value` pairs joined by "; ").
 * The first occurrence wins (the most specific path is sent first); a quoted value is unquoted;
 * values are not URL-decoded (JWTs and API tokens never need it).
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

function queryValues(url: string, name: string): string[] {
  const q = url.indexOf('?');
  return q === -1 ? [] : new URLSearchParams(url.slice(q + 1)).getAll(name);
}
