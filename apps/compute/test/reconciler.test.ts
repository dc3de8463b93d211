import { Writable } from 'node:stream';
import { waitFor } from '@edd/events/testing';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealerOf } from '../src/config';
import { releaseLease, takeLease } from '../src/data/containers';
import { Reconciler } from '../src/reconcile/reconciler';
import { FakeRuntime } from '../src/runtime/testing/fake-runtime';
import { call, outboxEvents, startCompute, type Compute, type TestUser } from './harness';

let compute: Compute;
beforeAll(async () => {
  compute = await startCompute('reconcile');
});
afterAll(async () => compute?.close());

const quiet = createLogger({ service: 'reconcile-test', level: 'error', stream: new Writable({ write: (_c, _e, done) => done() }) });

async function create(user: TestUser): Promise<string> {
  const res = await call<{ id: string }>(compute.url, 'POST', '/compute/containers', {
    token: user.token,
    json: { name: `c${Date.now()}` },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function row(id: string) {
  const { rows } = await compute.db.query<{ status: string; status_message: string | null; restarts: number; address: string | null }>(
    'SELECT status, status_message, restarts, address FROM containers WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('reconciler', () => {
  it('finishes provisioning after a restart of compute mid-way', async () => {
    const user = await compute.user('restart');
    compute.runtime.phaseOnApply = 'starting';
    const id = await create(user);
    await waitFor(async () => compute.runtime.applied.some((s) => s.id === id));
    await compute.reconciler.idle();
    expect((await row(id))?.status).toBe('pending');
    compute.runtime.phaseOnApply = 'running';
    // The "new process": another reconciler (and runtime) on the same database; its first pass picks the row up.
    const runtime = new FakeRuntime();
    const next = new Reconciler({ db: compute.db, runtime, sealer: sealerOf(compute.config), logger: quiet, recheckMs: 50 });
    try {
      next.start();
      await waitFor(async () => (await row(id))?.status === 'running');
      expect(runtime.applied.map((s) => s.id)).toContain(id);
    } finally {
      await next.stop();
    }
  });

  it('shows a container whose process died as failed, then restarts it after a backoff', async () => {
    const user = await compute.user('crash');
    const id = await create(user);
    await waitFor(async () => (await row(id))?.status === 'running');
    const before = compute.runtime.applied.filter((s) => s.id === id).length;
    compute.runtime.report(id, 'failed', { message: 'sshd exited with 255' });
    await waitFor(async () => (await row(id))?.status === 'failed');
    expect(await row(id)).toMatchObject({ status_message: 'sshd exited with 255', address: null });
    // Not re-applied at once: the backoff (200 ms in the harness) comes first.
    expect(compute.runtime.applied.filter((s) => s.id === id).length).toBe(before);
    await waitFor(async () => (await row(id))?.status === 'running', 5_000);
    expect((await row(id))?.restarts).toBe(1);
    const types = (await outboxEvents(compute.db)).filter((e) => e.data['containerId'] === id).map((e) => e.type);
    expect(types).toEqual([
      'compute.container.created',
      'compute.container.started',
      'compute.container.updated',
      'compute.container.started',
    ]);
    const titles = (await outboxEvents(compute.db))
      .filter((e) => e.type === 'notify' && e.data['userId'] === user.userId)
      .map((e) => e.data['title']);
    expect(titles).toEqual(['Container ready', 'Container failed', 'Container ready']);
  });

  it('notifies once per crash loop, not once per retry', async () => {
    const user = await compute.user('loop');
    const id = await create(user);
    await waitFor(async () => (await row(id))?.status === 'running');
    // Each retry starts, then dies again: failed -> pending -> failed -> pending -> failed.
    compute.runtime.phaseOnApply = 'starting';
    try {
      for (let round = 0; round < 3; round += 1) {
        compute.runtime.report(id, 'failed', { message: 'exit 1' });
        await waitFor(async () => (await row(id))?.status === 'failed');
        await waitFor(async () => (await row(id))?.status === 'pending', 5_000);
      }
    } finally {
      compute.runtime.phaseOnApply = 'running';
    }
    const titles = (await outboxEvents(compute.db))
      .filter((e) => e.type === 'notify' && e.data['userId'] === user.userId)
      .map((e) => e.data['title']);
    expect(titles).toEqual(['Container ready', 'Container failed']);
    await waitFor(async () => (await row(id))?.status === 'running', 5_000);
  });

  it('retries a runtime that refuses with a growing backoff, never in a tight loop', async () => {
    const user = await compute.user('refused');
    compute.runtime.applyError = new Error('image pull failed');
    try {
      const id = await create(user);
      await waitFor(async () => (await row(id))?.status === 'failed');
      expect((await row(id))?.status_message).toBe('image pull failed');
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      // 200, 400, 800 ms backoff: a handful of attempts in 1.2 s, not hundreds.
      const attempts = compute.runtime.applied.filter((s) => s.id === id).length;
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(attempts).toBeLessThanOrEqual(5);
      compute.runtime.applyError = undefined;
      await waitFor(async () => (await row(id))?.status === 'running', 5_000);
    } finally {
      compute.runtime.applyError = undefined;
    }
  });

  it('gives up on an apply that hangs: failed, saying so, and retried', async () => {
    const user = await compute.user('hung');
    compute.runtime.applyHangs = true;
    try {
      const id = await create(user);
      await waitFor(async () => (await row(id))?.status === 'failed', 5_000);
      expect((await row(id))?.status_message).toBe('starting the container took longer than 500 ms');
      compute.runtime.applyHangs = false;
      await waitFor(async () => (await row(id))?.status === 'running', 5_000);
    } finally {
      compute.runtime.applyHangs = false;
    }
  });

  it('works one container at a time: a burst of kicks makes at most one extra pass', async () => {
    const user = await compute.user('burst');
    const id = await create(user);
    await waitFor(async () => (await row(id))?.status === 'running');
    await compute.reconciler.idle();
    const before = compute.runtime.applied.filter((s) => s.id === id).length;
    for (let i = 0; i < 20; i += 1) compute.reconciler.kick(id);
    await compute.reconciler.idle();
    expect(compute.runtime.applied.filter((s) => s.id === id).length - before).toBeLessThanOrEqual(2);
  });

  it('leaves a container alone while another replica holds its lease, and takes over once it is released', async () => {
    const user = await compute.user('lease');
    const id = await create(user);
    await waitFor(async () => (await row(id))?.status === 'running');
    await compute.reconciler.idle();
    expect(await takeLease(compute.db, id, 'other-replica', 60_000)).toBe(true);
    const before = compute.runtime.applied.filter((s) => s.id === id).length;
    compute.reconciler.kick(id);
    await compute.reconciler.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(compute.runtime.applied.filter((s) => s.id === id).length).toBe(before);
    await releaseLease(compute.db, id, 'other-replica');
    await waitFor(() => compute.runtime.applied.filter((s) => s.id === id).length > before, 3_000);
  });

  it('removes what the runtime holds without a row (orphans)', async () => {
    compute.runtime.plant('orphan01');
    await compute.reconciler.reconcileAll();
    await compute.reconciler.idle();
    expect(compute.runtime.removed).toContain('orphan01');
  });
});
