import { sshAuthorizeResponseSchema } from '@edd/api-contracts';
import type { EventBus, ReceivedEvent } from '@edd/events';
import type { Logger } from '@edd/logger';
import { CONTAINER_EVENT_TYPES } from '../control/container-table';

/** What the gateway needs to reach one container's sshd: compute's `allow` answer. */
export interface SshGrant {
  address: string;
  port: number;
  /** The container's host key line: the only key the upstream may present. */
  hostKey: string;
  platformPrivateKey: string;
  user: string;
  ownerId: string;
}

export type SshDecision = { allow: true; grant: SshGrant } | { allow: false; reason: string };

export interface SshAuthorizeQuery {
  containerId: string;
  login: string;
  fingerprint: string;
}

export interface SshAuthorizer {
  authorize(query: SshAuthorizeQuery): Promise<SshDecision>;
}

export interface ComputeSshAuthorizerOptions {
  /** COMPUTE_INTERNAL_URL. */
  baseUrl: string;
  serviceKey?: string;
  logger: Logger;
  /** How long an answer is reused; events drop it sooner. */
  cacheMs: number;
  timeoutMs?: number;
  maxEntries?: number;
}

interface CacheEntry {
  containerId: string;
  expiresAt: number;
  decision: Promise<SshDecision>;
}

const KEY_EVENT_TYPES = ['compute.sshkey.added', 'compute.sshkey.removed'] as const;
type InvalidatingEvent = (typeof KEY_EVENT_TYPES)[number] | (typeof CONTAINER_EVENT_TYPES)[number];

/**
 * `POST /internal/ssh/authorize` on compute, with a short cache keyed by (container, login, key). A key or
 * container event drops the affected answers at once, so a removed key stops new logins within the event's
 * delivery time rather than the cache period. Failures to reach compute are refusals that are not cached.
 */
export class ComputeSshAuthorizer implements SshAuthorizer {
  private readonly cache = new Map<string, CacheEntry>();
  private subscription: { stop(): Promise<void> } | undefined;

  constructor(private readonly options: ComputeSshAuthorizerOptions) {}

  async start(bus?: Pick<EventBus, 'subscribe'>): Promise<void> {
    if (!bus) return;
    this.subscription = await bus.subscribe({
      types: [...KEY_EVENT_TYPES, ...CONTAINER_EVENT_TYPES],
      handler: (event) => this.applyEvent(event),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
    this.cache.clear();
  }

  applyEvent(event: ReceivedEvent<InvalidatingEvent>): void {
    if (event.type === 'compute.sshkey.added' || event.type === 'compute.sshkey.removed') {
      // Refusals cached for "key not trusted" know no owner: a key event drops everything (key changes are rare).
      this.cache.clear();
      return;
    }
    const containerId = event.data.containerId.toLowerCase();
    for (const [key, entry] of this.cache) if (entry.containerId === containerId) this.cache.delete(key);
  }

  authorize(query: SshAuthorizeQuery): Promise<SshDecision> {
    const key = `${query.containerId}\0${query.login}\0${query.fingerprint}`;
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.decision;
    if (cached) this.cache.delete(key);
    const entry: CacheEntry = { containerId: query.containerId, expiresAt: now + this.options.cacheMs, decision: this.ask(query) };
    if (this.options.cacheMs > 0) {
      this.evictIfFull();
      this.cache.set(key, entry);
      // Unreachable compute is not an answer about the key: the next login asks again.
      void entry.decision.then((decision) => {
        if (!decision.allow && decision.reason.startsWith('compute ') && this.cache.get(key) === entry) this.cache.delete(key);
      });
    }
    return entry.decision;
  }

  private evictIfFull(): void {
    const max = this.options.maxEntries ?? 10_000;
    if (this.cache.size < max) return;
    const oldest = this.cache.keys().next();
    if (!oldest.done) this.cache.delete(oldest.value);
  }

  private async ask(query: SshAuthorizeQuery): Promise<SshDecision> {
    const url = new URL('/internal/ssh/authorize', this.options.baseUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.options.serviceKey ? { 'x-service-key': this.options.serviceKey } : {}),
        },
        body: JSON.stringify(query),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch (error) {
      return { allow: false, reason: `compute unreachable: ${(error as Error).message}` };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) return { allow: false, reason: `compute answered ${response.status}: ${JSON.stringify(body)}` };
    const parsed = sshAuthorizeResponseSchema.safeParse(body);
    if (!parsed.success) return { allow: false, reason: `compute sent an invalid answer: ${parsed.error.issues[0]?.message ?? ''}` };
    if (!parsed.data.allow) return { allow: false, reason: parsed.data.reason };
    const { allow: _allow, ...grant } = parsed.data;
    return { allow: true, grant };
  }
}
