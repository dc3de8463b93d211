import type { Database } from '@edd/db';
import type { Logger } from '@edd/logger';
import type { Sealer } from '../crypto/sealing';
import { randomUUID } from 'node:crypto';
import { deleteContainerRow, findContainer, listAllContainerIds, releaseLease, takeLease, type ContainerRow } from '../data/containers';
import type { ContainerRuntime, RuntimeState } from '../runtime/container-runtime';
import { buildContainerSpec } from './container-spec';
import { recordStatus } from './record-status';
import { withTimeLimit } from './time-limit';

export interface ReconcilerOptions {
  db: Database;
  runtime: ContainerRuntime;
  sealer: Sealer;
  logger: Logger;
  /** A full pass over every container (default 30 s). */
  periodMs?: number;
  /** Retry delay after the first failure, doubled per consecutive failure up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How soon a container still starting is looked at again when no watch event came (default 2 s). */
  recheckMs?: number;
  /** Longest a runtime's apply may take (image pulls included; default 5 min); stop and remove get 2 min. */
  applyTimeoutMs?: number;
  /** How long one pass may hold a container's lease before another replica may take it over (default 6 min: longer than an apply). */
  leaseMs?: number;
}

const STOP_TIMEOUT_MS = 2 * 60_000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Makes the runtime match the desired state in the database. It runs at start, on every runtime watch event, after
 * each API change (`kick`), on its own timers (backoff, still-starting rechecks) and every `periodMs`. Work is
 * single-flight per container: a kick during a pass runs one more pass after it. A restart of the process loses
 * nothing: the next start's pass picks every row up where it is.
 */
export class Reconciler {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The runtime's latest report per container (a watch event), read by the next pass. */
  private readonly reported = new Map<string, RuntimeState>();
  private interval: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  private stopped = false;
  /** This replica's name in the containers' reconcile leases. */
  private readonly replica = randomUUID();

  constructor(private readonly options: ReconcilerOptions) {}

  /** Follows the runtime's events, runs a first pass (in the background) and then one every period. */
  start(): void {
    this.unwatch = this.options.runtime.watch((state) => {
      this.reported.set(state.id, state);
      this.kick(state.id);
    });
    void this.reconcileAll();
    this.interval = setInterval(() => void this.reconcileAll(), this.options.periodMs ?? 30_000);
    this.interval.unref();
  }

  kick(id: string): void {
    if (this.stopped) return;
    if (this.inFlight.has(id)) {
      this.again.add(id);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(id);
        await this.reconcileOne(id).catch((error: unknown) =>
          this.options.logger.error('reconcile failed', { containerId: id, error: errorText(error) }),
        );
      } while (this.again.has(id) && !this.stopped);
    })().finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, run);
  }

  /** Every row, and whatever the runtime holds that no row wants any more (orphans are removed). */
  async reconcileAll(): Promise<void> {
    try {
      const ids = await listAllContainerIds(this.options.db);
      for (const id of ids) this.kick(id);
      const known = new Set(ids);
      const held = await this.options.runtime.list().catch(() => []);
      for (const state of held) if (!known.has(state.id)) this.kick(state.id);
    } catch (error) {
      this.options.logger.error('reconcile pass failed', { error: errorText(error) });
    }
  }

  /** Resolves once no container is being worked on (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.unwatch?.();
    await this.idle();
  }

  private schedule(id: string, delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        this.kick(id);
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.timers.set(id, timer);
  }

  private async reconcileOne(id: string): Promise<void> {
    const { db, runtime } = this.options;
    const reported = this.reported.get(id);
    this.reported.delete(id);
    const row = await findContainer(db, id);
    if (!row) return withTimeLimit(runtime.remove(id), STOP_TIMEOUT_MS, 'removing an orphan');
    // Another replica is on it: look again later (its lease expires if it died).
    if (!(await takeLease(db, id, this.replica, this.options.leaseMs ?? 6 * 60_000)))
      return this.schedule(id, this.options.recheckMs ?? 2_000);
    try {
      await this.drive(row, reported);
    } finally {
      await releaseLease(db, id, this.replica).catch(() => undefined);
    }
  }

  private async drive(row: ContainerRow, reported: RuntimeState | undefined): Promise<void> {
    const { db, runtime } = this.options;
    const id = row.id;
    if (row.desiredState === 'deleted') {
      await withTimeLimit(runtime.remove(id), STOP_TIMEOUT_MS, 'removing the container');
      await deleteContainerRow(db, id);
      return;
    }
    if (row.desiredState === 'stopped') {
      await withTimeLimit(runtime.stop(id), STOP_TIMEOUT_MS, 'stopping the container');
      await this.record(row, {
        status: 'stopped',
        address: null,
        statusMessage: null,
        restarts: row.restarts,
        failures: 0,
        nextAttemptAt: null,
      });
      return;
    }
    // The process died by itself: shown failed now, restarted after the backoff (not at once, in a loop).
    if (reported?.phase === 'failed' && row.status !== 'failed')
      return this.fail(row, reported.message ?? 'the container exited', reported.restarts);
    const waitMs = row.nextAttemptAt ? row.nextAttemptAt.getTime() - Date.now() : 0;
    if (waitMs > 0) return this.schedule(id, waitMs);
    await this.runContainer(row);
  }

  private async runContainer(row: ContainerRow): Promise<void> {
    // A retry after a failure is a restart.
    const restarts = row.restarts + (row.status === 'failed' ? 1 : 0);
    let state: RuntimeState;
    try {
      const spec = await buildContainerSpec(this.options.db, this.options.sealer, row);
      state = await withTimeLimit(this.options.runtime.apply(spec), this.options.applyTimeoutMs ?? 5 * 60_000, 'starting the container');
    } catch (error) {
      return this.fail({ ...row, restarts }, errorText(error));
    }
    const seenRestarts = Math.max(restarts, state.restarts);
    if (state.phase === 'failed') return this.fail({ ...row, restarts: seenRestarts }, state.message ?? 'the container failed to start');
    if (state.phase === 'running') {
      await this.record(row, {
        status: 'running',
        address: state.address ?? null,
        statusMessage: null,
        restarts: seenRestarts,
        failures: 0,
        nextAttemptAt: null,
      });
      return;
    }
    await this.record(row, {
      status: 'pending',
      address: null,
      statusMessage: state.message ?? null,
      restarts: seenRestarts,
      failures: row.failures,
      nextAttemptAt: null,
    });
    this.schedule(row.id, this.options.recheckMs ?? 2_000);
  }

  private async fail(row: ContainerRow, message: string, restarts = row.restarts): Promise<void> {
    const failures = row.failures + 1;
    const base = this.options.baseBackoffMs ?? 2_000;
    const delay = Math.min(base * 2 ** Math.min(failures - 1, 20), this.options.maxBackoffMs ?? 5 * 60_000);
    this.options.logger.warn('container failed; retrying after backoff', { containerId: row.id, failures, retryInMs: delay, message });
    await this.record(row, {
      status: 'failed',
      address: null,
      statusMessage: message.slice(0, 500),
      restarts: Math.max(restarts, row.restarts),
      failures,
      nextAttemptAt: new Date(Date.now() + delay),
    });
    this.schedule(row.id, delay);
  }

  private async record(row: ContainerRow, observed: Parameters<typeof recordStatus>[2]): Promise<void> {
    // The user changed it meanwhile: act on the new desired state.
    if (!(await recordStatus(this.options.db, row, observed))) this.again.add(row.id);
  }
}
