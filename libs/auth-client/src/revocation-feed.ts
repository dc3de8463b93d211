import type { Logger } from '@edd/logger';

/** The events this client listens to (payloads in @edd/events' catalogue). */
export const REVOCATION_EVENT_TYPES = [
  'auth.session.invalidated',
  'auth.token.revoked',
  'auth.user.deleted',
  'auth.identity.updated',
  'auth.identity.deleted',
] as const;
export type RevocationEventType = (typeof REVOCATION_EVENT_TYPES)[number];

/**
 * The part of @edd/events' `EventBus` this lib uses, written structurally so the lib needs no
 * runtime dependency on the NATS client: any `EventBus` fits.
 */
export interface RevocationBus {
  subscribe(options: {
    types: readonly RevocationEventType[];
    handler: (event: { type: string; data: unknown }) => void | Promise<void>;
  }): Promise<{ stop(): Promise<void> }>;
}

export interface RevocationTargets {
  sessionInvalidated(sessionId: string): void;
  tokenRevoked(tokenId: string): void;
  userDeleted(userId: string): void;
  serviceAccountChanged(serviceAccountId: string): void;
}

const RETRY_MS = 5_000;

function field(data: unknown, name: string): string | undefined {
  const value = (data as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** Routes one event to the caches it invalidates; payloads are re-checked, unknown shapes ignored. */
export function applyRevocationEvent(event: { type: string; data: unknown }, targets: RevocationTargets): void {
  const { type, data } = event;
  if (type === 'auth.session.invalidated') {
    const sessionId = field(data, 'sessionId');
    if (sessionId) targets.sessionInvalidated(sessionId);
  } else if (type === 'auth.token.revoked') {
    const tokenId = field(data, 'tokenId');
    if (tokenId) targets.tokenRevoked(tokenId);
  } else if (type === 'auth.user.deleted') {
    const userId = field(data, 'userId');
    if (userId) targets.userDeleted(userId);
  } else if (type === 'auth.identity.updated' || type === 'auth.identity.deleted') {
    const serviceAccountId = field(data, 'serviceAccountId');
    if (serviceAccountId) targets.serviceAccountChanged(serviceAccountId);
  }
}

/**
 * Subscribes (every replica sees every event) and keeps trying every 5 s if the bus is not
 * reachable yet; `ready` settles after the first attempt, `stop` ends it all.
 */
export function followRevocations(
  bus: RevocationBus,
  targets: RevocationTargets,
  logger?: Logger,
): { ready: Promise<void>; stop(): Promise<void> } {
  let stopped = false;
  let subscription: { stop(): Promise<void> } | undefined;
  let retry: NodeJS.Timeout | undefined;

  const attempt = async (): Promise<void> => {
    try {
      const sub = await bus.subscribe({ types: REVOCATION_EVENT_TYPES, handler: (event) => applyRevocationEvent(event, targets) });
      if (stopped) await sub.stop();
      else subscription = sub;
    } catch (error) {
      logger?.warn('auth-client: cannot subscribe to revocation events yet; retrying', { error });
      if (!stopped) retry = setTimeout(() => void attempt(), RETRY_MS);
    }
  };
  const ready = attempt();

  return {
    ready,
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await ready;
      await subscription?.stop();
      subscription = undefined;
    },
  };
}
