import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What a ticket stands for: the principal it was issued to, in the redeem endpoint's wire form. */
export interface TicketGrant {
  user_id: string;
  username: string;
  is_admin: boolean;
  kind: 'session' | 'api_token' | 'service_account';
  session_id?: string;
  token_id?: string;
  service_account_id?: string;
  scopes?: Record<string, string[]>;
  /** The service the ticket is meant for (e.g. `notifications`); absent = any. */
  audience?: string;
}

export const TICKET_TTL_MS = 30_000;

/**
 * Short-lived single-use tickets for clients that cannot set headers on a WebSocket or EventSource. Only
 * sha256(ticket) is stored, so a Redis dump holds nothing a client could present.
 */
export class TicketStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async issue(grant: TicketGrant): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + TICKET_TTL_MS);
    await this.redis.set(this.key(ticket), JSON.stringify(grant), 'PX', TICKET_TTL_MS);
    return { ticket, expiresAt };
  }

  /** The grant, exactly once (GETDEL): a replayed or expired ticket answers undefined. */
  async redeem(ticket: string): Promise<TicketGrant | undefined> {
    const stored = await this.redis.getdel(this.key(ticket));
    return stored ? (JSON.parse(stored) as TicketGrant) : undefined;
  }

  private key(ticket: string): string {
    return `${this.keyPrefix}ticket:${createHash('sha256').update(ticket).digest('hex')}`;
  }
}
