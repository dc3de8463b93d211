import type { Logger } from '@edd/logger';
import { authErrors } from './errors';
import { getJson } from './fetch-json';

export interface SessionLivenessOptions {
  authBaseUrl: string;
  /** How long a "still live" answer is trusted. */
  ttlMs: number;
  /** While the auth service is unreachable, a "live" answer this recent is still trusted. */
  staleMs: number;
  timeoutMs: number;
  logger?: Logger;
  maxEntries?: number;
}

/**
 * Asks the auth service whether a (signature-valid) session is still live: `GET /api/session`
 * with the session's own token. Covers what the revocation events cannot: sessions revoked while
 * this process was not subscribed yet (restart) or while NATS was unreachable.
 */
export class SessionLiveness {
  private readonly liveAt = new Map<string, number>();

  constructor(private readonly options: SessionLivenessOptions) {}

  /** Resolves when live; throws invalid_credential (401) when the auth service refuses it, unavailable (503) when it cannot say. */
  async ensureLive(sessionId: string, token: string): Promise<void> {
    const checkedAt = this.liveAt.get(sessionId);
    if (checkedAt !== undefined && Date.now() - checkedAt < this.options.ttlMs) return;

    let status: number;
    let body: unknown;
    try {
      ({ status, body } = await getJson(
        `${this.options.authBaseUrl}/api/session`,
        { authorization: `Bearer ${token}` },
        this.options.timeoutMs,
      ));
    } catch (error) {
      if (checkedAt !== undefined && Date.now() - checkedAt < this.options.staleMs) return;
      throw error;
    }
    if (status === 401) {
      this.liveAt.delete(sessionId);
      throw authErrors.invalidCredential('session revoked');
    }
    const answeredId = (body as { session_id?: unknown } | undefined)?.session_id;
    if (status !== 200 || (answeredId !== undefined && answeredId !== sessionId)) {
      this.options.logger?.warn('auth session check failed', { sessionId, status });
      if (checkedAt !== undefined && Date.now() - checkedAt < this.options.staleMs) return;
      throw authErrors.unavailable();
    }
    this.remember(sessionId);
  }

  forget(sessionId: string): void {
    this.liveAt.delete(sessionId);
  }

  private remember(sessionId: string): void {
    this.liveAt.delete(sessionId);
    this.liveAt.set(sessionId, Date.now());
    if (this.liveAt.size > (this.options.maxEntries ?? 10_000)) {
      const oldest = this.liveAt.keys().next();
      if (!oldest.done) this.liveAt.delete(oldest.value);
    }
  }
}
