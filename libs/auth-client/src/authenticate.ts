import type { RequestHandler } from 'express';
import { createAuthClient } from './create-auth-client';
import type { AuthClient, AuthClientOptions } from './create-auth-client';

export interface AuthenticateOptions extends AuthClientOptions {
  /** The platform contract's name for `tokenCacheTtlMs` (how long an API token check is reused). */
  cacheTtlMs?: number;
}

/**
 * The contract's one-call form: `app.use(authenticate({ authBaseUrl, serviceKey, bus }))`. The middleware carries
 * its client, for the guards and for `await middleware.client.close()` on shutdown (it holds a subscription).
 */
export function authenticate(options: AuthenticateOptions): RequestHandler & { client: AuthClient } {
  const { cacheTtlMs, ...clientOptions } = options;
  const client = createAuthClient({ ...clientOptions, tokenCacheTtlMs: clientOptions.tokenCacheTtlMs ?? cacheTtlMs });
  return Object.assign(client.authenticate, { client });
}
