import type { IncomingMessage } from 'node:http';
import { findCredential } from '@edd/auth-client';
import type { AuthClient, Principal } from '@edd/auth-client';
import { HttpError, httpErrors, isAllowedOrigin, type EntryPoint } from '@edd/http';
import type { Logger } from '@edd/logger';
import { requestTarget } from './request-target';

export interface LiveAuthOptions {
  /** The service's auth client (`createAuthClient`): verification and ticket redemption stay there. */
  client: Pick<AuthClient, 'verify' | 'redeemTicket'>;
  /** EDD_DOMAIN and CORS_EXTRA_ORIGINS: the CORS policy's origins are the only browser origins let in. */
  domain: string;
  extraOrigins?: readonly string[];
  /** PUBLIC_ENTRY_POINTS (default `https:443` only): an origin on another scheme or port is refused. */
  entryPoints?: readonly EntryPoint[];
  /** This service's name: a ticket issued for another audience is refused. */
  audience?: string;
  logger?: Logger;
}

/** Why a connection was refused: an HttpError, so it answers like any other request (status, code, headers). */
export type LiveRefusal = HttpError;

export type LiveAuthResult = { ok: true; principal: Principal } | { ok: false; refusal: LiveRefusal };

export interface LiveAuth {
  /** Origin check, then the credential: `Authorization: Bearer`, else `?ticket=`, else the session cookie. */
  check(req: IncomingMessage): Promise<LiveAuthResult>;
}

const refuse = (refusal: HttpError): LiveAuthResult => ({ ok: false, refusal: withRefusalHeaders(refusal) });

/** RFC 6750 §3: a 401 names the scheme; a 503 says when to try again. */
function withRefusalHeaders(error: HttpError): HttpError {
  const extra: Record<string, string> =
    error.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="edd-cloud"' } : error.status === 503 ? { 'Retry-After': '1' } : {};
  if (Object.keys(extra).every((name) => name in error.headers)) return error;
  return new HttpError(error.code, error.message, { headers: { ...extra, ...error.headers }, details: error.details });
}

export function createLiveAuth(options: LiveAuthOptions): LiveAuth {
  const extraOrigins = options.extraOrigins ?? [];

  async function check(req: IncomingMessage): Promise<LiveAuthResult> {
    // Browsers always send Origin on a WebSocket upgrade and a cross-origin EventSource: a page of another site
    // must not ride on the user's cookie (cross-site WebSocket hijacking). Without Origin it is not a browser.
    const origin = req.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, options.domain, extraOrigins, options.entryPoints))
      return refuse(httpErrors.forbidden('origin not allowed'));

    const target = requestTarget(req);
    if (!target) return refuse(httpErrors.badRequest('invalid request target'));
    const tickets = target.query.getAll('ticket');
    if (tickets.length > 1) return refuse(httpErrors.unauthorized('more than one ticket'));
    try {
      // An explicit header wins; a ticket (explicit too) beats the ambient cookie. `?token=` is never read here:
      // the ticket is the one credential allowed in a query string, because it is single use and lives 30 s.
      if (req.headers.authorization === undefined && tickets[0] !== undefined) return await redeem(tickets[0]);
      const found = findCredential({ headers: req.headers, url: target.pathname });
      if (found.kind === 'none') return refuse(httpErrors.unauthorized());
      if (found.kind === 'malformed') return refuse(new HttpError('invalid_credential', found.reason));
      return { ok: true, principal: await options.client.verify(found.token) };
    } catch (error) {
      if (error instanceof HttpError) return refuse(error);
      options.logger?.error('live: authentication failed unexpectedly', { error });
      return refuse(new HttpError('internal'));
    }
  }

  async function redeem(ticket: string): Promise<LiveAuthResult> {
    const { principal, audience } = await options.client.redeemTicket(ticket);
    if (audience !== undefined && audience !== options.audience)
      return refuse(new HttpError('invalid_credential', 'ticket issued for another service'));
    return { ok: true, principal };
  }

  return { check };
}
