import type { Database } from '@edd/db';
import pg from 'pg';
import { errorMessage, type OutboxLogger } from './queryable';
import { OUTBOX_CHANNEL } from './schema';

export interface OutboxListener {
  close(): Promise<void>;
}

/**
 * LISTENs on the outbox channel on a connection of its own (a pooled one would be lost to the pool for good), so
 * the relay runs right after a commit. A lost connection is re-opened after `retryMs`; `onNotify` is also called
 * once each time listening (re)starts, to catch what was committed while nobody listened.
 */
export function listenForOutboxInserts(db: Database, onNotify: () => void, logger: OutboxLogger, retryMs = 1_000): OutboxListener {
  let closed = false;
  let current: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const open = (): void => {
    if (closed) return;
    const client = new pg.Client({ ...db.pool.options, application_name: `${db.name}-outbox-listener` });
    current = client;
    let failed = false;
    const fail = (error?: unknown): void => {
      if (failed || closed) return;
      failed = true;
      current = undefined;
      client.end().catch(() => undefined);
      logger.warn('outbox listener lost its connection; the poll covers until it is back', { error: errorMessage(error ?? 'ended') });
      timer = setTimeout(open, retryMs);
      timer.unref();
    };
    client.on('error', fail);
    client.on('end', () => fail());
    client.on('notification', () => onNotify());
    client
      .connect()
      .then(() => client.query(`LISTEN ${OUTBOX_CHANNEL}`))
      .then(() => onNotify(), fail);
  };
  open();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await current?.end().catch(() => undefined);
    },
  };
}
