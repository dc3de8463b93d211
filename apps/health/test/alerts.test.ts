import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventData, Stoppable } from '@edd/events';
import { randomToken, waitFor } from '@edd/events/testing';
import { healthAlertListResponseSchema, healthAlertSchema, type HealthAlert } from '@edd/api-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSample, podSample } from './fixtures';
import { get, ScriptedSource, startHealth, type Health, type TestUser } from './harness';

let health: Health;
let source: ScriptedSource;
let admin: TestUser;
let owner: TestUser;
let other: TestUser;
let webhook: Server;
const hooks: Array<{ alert: HealthAlert }> = [];
const notes: Array<EventData<'notify'>> = [];
let notifyFeed: Stoppable;
let adminIds: string[] = [];

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      // Parsed with the contract's schema: a body that strays from it fails the test.
      hooks.push({ alert: healthAlertSchema.parse((JSON.parse(body) as { alert: unknown }).alert) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  source = new ScriptedSource();
  source.next = { nodes: [nodeSample({ name: randomToken('node') })], pods: [] };
  health = await startHealth('alerts', {
    source,
    env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook` },
    admins: () => Promise.resolve(adminIds),
  });
  admin = await health.user('admin', { isAdmin: true });
  owner = await health.user('owner');
  other = await health.user('other');
  adminIds = [admin.userId];
  notifyFeed = await health.bus.subscribe({
    types: ['notify'],
    handler: (event) => {
      if ([admin.userId, owner.userId, other.userId].includes(event.data.userId)) notes.push(event.data);
    },
  });
});
afterAll(async () => {
  await notifyFeed?.stop();
  await health?.close();
  await new Promise((resolve) => webhook?.close(resolve));
});

const alerts = async (token: string, query = '') =>
  healthAlertListResponseSchema.parse((await get(health.url, `/api/alerts${query}`, token)).body).alerts;
const nodeName = () => source.next.nodes[0]?.name ?? '';

describe('alerts', () => {
  it('CPU above 90 % on two samples fires one alert: a notify to each admin, the webhook, and firing in /api/alerts; it resolves when CPU drops', async () => {
    source.next = { nodes: [nodeSample({ name: nodeName(), cpuUsedCores: 1.95 })], pods: [] };
    await waitFor(async () => (await alerts(admin.token, '?state=firing')).some((a) => a.rule === 'cpu_high'));
    const [fired] = (await alerts(admin.token)).filter((a) => a.rule === 'cpu_high');
    expect(fired).toMatchObject({ severity: 'critical', state: 'firing', subject: nodeName(), notified: true, resolved_at: null });
    await waitFor(() => notes.some((n) => n.userId === admin.userId && n.title === 'Critical: High CPU'));
    expect(notes.filter((n) => n.title === 'Critical: High CPU')).toHaveLength(1);
    expect(notes[0]).toMatchObject({ category: 'alert', source: 'health', link: '/health' });
    await waitFor(() => hooks.some((h) => h.alert.rule === 'cpu_high' && h.alert.state === 'firing'));

    source.next = { nodes: [nodeSample({ name: nodeName() })], pods: [] };
    await waitFor(async () => (await alerts(admin.token)).some((a) => a.rule === 'cpu_high' && a.state === 'resolved'));
    await waitFor(() => hooks.some((h) => h.alert.rule === 'cpu_high' && h.alert.state === 'resolved'));
    // Still one announcement: a resolution goes to the webhook and the list, not to people.
    expect(notes.filter((n) => n.title === 'Critical: High CPU')).toHaveLength(1);
  });

  it('a condition back within its cooldown opens a new episode without a second notification', async () => {
    source.next = { nodes: [nodeSample({ name: nodeName(), memoryUsedBytes: 15 * 1024 ** 3 })], pods: [] };
    await waitFor(async () => (await alerts(admin.token, '?state=firing')).some((a) => a.rule === 'memory_high'));
    source.next = { nodes: [nodeSample({ name: nodeName() })], pods: [] };
    await waitFor(async () => !(await alerts(admin.token, '?state=firing')).some((a) => a.rule === 'memory_high'));
    source.next = { nodes: [nodeSample({ name: nodeName(), memoryUsedBytes: 15 * 1024 ** 3 })], pods: [] };
    await waitFor(async () => (await alerts(admin.token, '?state=firing')).some((a) => a.rule === 'memory_high'));
    const episodes = (await alerts(admin.token)).filter((a) => a.rule === 'memory_high');
    expect(episodes.map((a) => [a.state, a.notified])).toEqual([
      ['firing', false],
      ['resolved', true],
    ]);
    expect(notes.filter((n) => n.title === 'Warning: High memory')).toHaveLength(1);
    source.next = { nodes: [nodeSample({ name: nodeName() })], pods: [] };
  });

  it('a container restart tells the admins and the container’s owner; the owner sees it in /api/alerts, others do not', async () => {
    const pod = podSample({ namespace: `compute-${randomToken('c')}`, ownerId: owner.userId, restarts: 1 });
    source.next = { nodes: [nodeSample({ name: nodeName() })], pods: [pod] };
    const seen = source.collected;
    await waitFor(() => source.collected >= seen + 2);
    source.next = { nodes: [nodeSample({ name: nodeName() })], pods: [{ ...pod, restarts: 2 }] };
    await waitFor(() => notes.some((n) => n.userId === owner.userId && n.title === 'Warning: Container restarted'));
    await waitFor(() => notes.some((n) => n.userId === admin.userId && n.title === 'Warning: Container restarted'));
    expect(notes.some((n) => n.userId === other.userId)).toBe(false);
    expect((await alerts(owner.token)).map((a) => a.rule)).toEqual(['container_restart']);
    expect(await alerts(other.token)).toEqual([]);
  });

  it('five ERROR logs from one source within 30 s (log.error events) fire an error burst; four do not', async () => {
    const noisy = randomToken('svc');
    const quiet = randomToken('svc');
    for (let i = 0; i < 5; i++) {
      await health.bus.publish('log.error', { source: noisy, level: 'ERROR', message: `boom ${i}`, timestamp: new Date().toISOString() });
    }
    for (let i = 0; i < 4; i++) {
      await health.bus.publish('log.error', { source: quiet, level: 'ERROR', message: `meh ${i}`, timestamp: new Date().toISOString() });
    }
    await waitFor(async () => (await alerts(admin.token)).some((a) => a.rule === 'error_burst' && a.subject === noisy));
    const [burst] = (await alerts(admin.token)).filter((a) => a.rule === 'error_burst' && a.subject === noisy);
    expect(burst?.message).toMatch(/5 ERROR log entries within 30 s/);
    // The quiet source's four entries are recorded (the burst above proves the feed works) and fire nothing.
    const samplesAfter = source.collected;
    await waitFor(() => source.collected >= samplesAfter + 3);
    expect((await alerts(admin.token)).some((a) => a.subject === quiet)).toBe(false);
  });

  it('GET /api/alerts: 400 for a bad state or limit, 401 anonymous, a token needs compute containers read', async () => {
    expect((await get(health.url, '/api/alerts?state=open', admin.token)).status).toBe(400);
    expect((await get(health.url, '/api/alerts?limit=0', admin.token)).status).toBe(400);
    expect((await get(health.url, '/api/alerts')).status).toBe(401);
    expect((await get(health.url, '/api/alerts', owner.apiToken({}))).status).toBe(403);
    expect((await get(health.url, '/api/alerts?limit=1', admin.token)).body).toMatchObject({ alerts: [expect.any(Object)] });
  });
});
