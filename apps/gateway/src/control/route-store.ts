import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Database } from '@edd/db';
import type { Logger } from '@edd/logger';
import type { Route, RouteTable } from '@edd/route-registry';
import { RouteRepository } from './route-repository';

export const ROUTES_CHANNEL = 'gateway_routes';

export interface RouteStoreOptions {
  db: Database;
  table: RouteTable;
  logger: Logger;
  /** Safety-net full reload period (a lost notification heals within it); 0 = off. Default 30 s. */
  reloadIntervalMs?: number;
  /** Connection for LISTEN; defaults to the pool's own connection string. */
  listenConnectionString?: string;
  /** Reconnect backoff of the LISTEN connection. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

/**
 * Keeps a RouteTable equal to `static_routes`: loads at start, reloads on every `gateway_routes`
 * notification (one dedicated LISTEN connection, reconnected with backoff), and every 30 s as a safety net.
 */
export class RouteStore extends EventEmitter<{ reloaded: [readonly Route[]] }> {
  readonly repository: RouteRepository;
  private listener: pg.Client | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private running: Promise<boolean> | undefined;
  private signature = '';
  private queued: Promise<boolean> | undefined;

  constructor(private readonly options: RouteStoreOptions) {
    super();
    this.repository = new RouteRepository(options.db, options.logger);
    this.backoffMs = options.reconnectMinMs ?? 250;
  }

  /** Whether the LISTEN connection is up (reported by /readyz details). */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  seed(routes: readonly Route[]): Promise<{ inserted: number; updated: number }> {
    return this.repository.seed(routes);
  }

  /** Listens first, then loads: a change committed in between is seen by one or the other. */
  async start(): Promise<void> {
    await this.listen().catch((error: unknown) => {
      this.options.logger.warn('route notifications unavailable, retrying', { error });
      this.scheduleReconnect();
    });
    if (!(await this.reload())) throw new Error('could not load static routes');
    const every = this.options.reloadIntervalMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.reload(), every);
      this.timer.unref();
    }
  }

  /**
   * Reloads the table from the database. Calls made while a load runs share ONE follow-up load (which
   * starts after the call, so it sees the caller's committed writes). Resolves false when the load failed
   * (the previous table stays in service); never rejects.
   */
  reload(): Promise<boolean> {
    if (!this.running) {
      this.running = this.load().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.reload();
    });
    return this.queued;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
    await this.running;
  }

  private async load(): Promise<boolean> {
    try {
      const routes = await this.repository.load();
      this.options.table.replace(routes);
      const signature = JSON.stringify(routes);
      if (signature !== this.signature) this.options.logger.info('static routes in service', { count: routes.length });
      this.signature = signature;
      this.emit('reloaded', this.options.table.routes);
      return true;
    } catch (error) {
      this.options.logger.warn('static routes reload failed; keeping the current table', { error });
      return false;
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.listenConnectionString ?? this.options.db.pool.options.connectionString,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      application_name: 'gateway-routes-listener',
    });
    let dropped = false;
    const onDrop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.options.logger.warn('route notification connection lost, reconnecting', { error });
      this.scheduleReconnect();
    };
    client.on('error', onDrop);
    client.on('end', () => onDrop());
    client.on('notification', (message) => {
      if (message.channel === ROUTES_CHANNEL) void this.reload();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ROUTES_CHANNEL}`);
    } catch (error) {
      dropped = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.backoffMs = this.options.reconnectMinMs ?? 250;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.reconnectMaxMs ?? 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.listen()
        .then(() => {
          this.options.logger.info('route notifications resumed');
          // Notifications sent while disconnected are lost: catch up now.
          return this.reload();
        })
        .catch((error: unknown) => {
          this.options.logger.warn('route notification reconnect failed', { error, retryInMs: this.backoffMs });
          this.scheduleReconnect();
        });
    }, delay);
    this.reconnectTimer.unref();
  }
}
