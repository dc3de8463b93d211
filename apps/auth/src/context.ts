import type { Database } from '@edd/db';
import type { RequestHandler } from 'express';
import type { Logger } from '@edd/logger';
import type { AuthConfig } from './config';
import type { SigningKeyRing } from './keys/signing-key-ring';
import type { LoginRateLimiter } from './security/login-rate-limiter';
import type { SessionAuth } from './security/session-auth';

/** Everything a route needs, built once in createApp. */
export interface AuthContext {
  config: AuthConfig;
  logger: Logger;
  db: Database;
  keys: SigningKeyRing;
  sessions: SessionAuth;
  limiter: LoginRateLimiter;
  /** `Idempotency-Key` on the POSTs that create tokens and service accounts, per signed-in user. */
  idempotent: RequestHandler;
}
