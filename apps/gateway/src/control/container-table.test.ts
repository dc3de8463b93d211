import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '@edd/events';
import { connectTestBus, randomToken, samplePayload } from '@edd/events/testing';
import { HttpContainerSource } from './container-source';
import type { ContainerRecord, ContainerSource } from './container-source';
import { ContainerIngressTable } from './container-table';
import { memoryLogger, waitUntil } from './testing';

function container(id: string, overrides: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    ...samplePayload('compute.container.started', id),
    containerId: id,
    status: 'running',
    upstreamHost: '127.0.0.1',
    ingress: [
      { externalPort: 8080, targetPort: 80, protocol: 'http' },
      { externalPort: 8443, targetPort: 443, protocol: 'tls' },
    ],
    ...overrides,
  };
}

/** Three external ports from a random spot in a range no fixed rule uses, so another publisher's container does not hold them. */
function randomExternalPorts(): [number, number, number] {
  const first = 20_000 + randomInt(40_000);
  return [first, first + 1, first + 2];
}

/** A source whose answer the test sets; `gate` holds list() open to interleave events with a resync. */
class ScriptedSource implements ContainerSource {
  answer: ContainerRecord[] | undefined = [];
  gate: Promise<void> | undefined;
  async list() {
    await this.gate;
    return this.answer;
  }
}

describe('ContainerIngressTable from compute.container.* events (NATS)', () => {
  let bus: EventBus;
  let table: ContainerIngressTable;
  const portEvents: number[][] = [];

  beforeAll(async () => {
    bus = await connectTestBus('gateway-container-test');
    await bus.ensureStreams();
    table = new ContainerIngressTable({ logger: memoryLogger(), resyncIntervalMs: 0 });
    table.on('ports', (ports) => portEvents.push([...ports].sort()));
    await table.start(bus);
  });
  afterAll(async () => {
    await table?.stop();
    await bus?.close();
  });

  it('routes a started container and closes its ports when it stops or is deleted', async () => {
    // The COMPUTE stream is shared (other test runs, a running compute service): assert only on this
    // test's container and on external ports no one else is likely to use.
    const id = randomToken('c');
    const [httpPort, tlsPort, tcpPort] = randomExternalPorts();
    const ingress = [
      { externalPort: httpPort, targetPort: 80, protocol: 'http' as const },
      { externalPort: tlsPort, targetPort: 443, protocol: 'tls' as const },
    ];
    await bus.publish('compute.container.created', container(id, { status: 'pending', ingress }));
    await waitUntil(() => table.get(id)?.status === 'pending');
    expect(table.lookup(id, httpPort)).toBeUndefined(); // not running yet
    expect(table.ports().has(httpPort)).toBe(false);

    await bus.publish('compute.container.started', container(id, { ingress }));
    await waitUntil(() => table.lookup(id, httpPort) !== undefined);
    expect(table.lookup(id, httpPort)).toEqual({ host: '127.0.0.1', port: 80, protocol: 'http' });
    expect(table.lookup(id.toUpperCase(), tlsPort)).toEqual({ host: '127.0.0.1', port: 443, protocol: 'tls' });
    expect(table.lookup(id, tcpPort)).toBeUndefined();
    // SNI passthrough on the gateway's HTTPS port reaches the container's TLS rule; 443 is not an ingress port.
    expect(table.lookup(id, 443)).toEqual({ host: '127.0.0.1', port: 443, protocol: 'tls' });
    expect(table.lookup(randomToken('c'), httpPort)).toBeUndefined();
    expect([httpPort, tlsPort].every((p) => table.ports().has(p))).toBe(true);
    expect(portEvents.at(-1)).toEqual(expect.arrayContaining([httpPort, tlsPort]));

    const tcpOnly = [{ externalPort: tcpPort, targetPort: 3000, protocol: 'tcp' as const }];
    await bus.publish('compute.container.updated', container(id, { ingress: tcpOnly }));
    await waitUntil(() => table.lookup(id, tcpPort) !== undefined);
    expect(table.lookup(id, httpPort)).toBeUndefined();
    expect(table.lookup(id, 443)).toBeUndefined(); // no TLS rule left
    expect(portEvents.at(-1)).toContain(tcpPort);
    expect(portEvents.at(-1)).not.toContain(httpPort);
    expect(portEvents.at(-1)).not.toContain(tlsPort);

    await bus.publish('compute.container.stopped', container(id, { status: 'stopped', ingress: tcpOnly }));
    await waitUntil(() => table.lookup(id, tcpPort) === undefined);
    expect(table.ports().has(tcpPort)).toBe(false);
    expect(portEvents.at(-1)).not.toContain(tcpPort);
    expect(table.get(id)?.status).toBe('stopped');

    await bus.publish('compute.container.deleted', container(id, { status: 'deleted', ingress: tcpOnly }));
    await waitUntil(() => table.get(id) === undefined);
  });
});

describe('ContainerIngressTable resynchronisation', () => {
  it('replaces the table with the source list (a missed event heals) and emits ports only on change', async () => {
    const source = new ScriptedSource();
    const table = new ContainerIngressTable({ logger: memoryLogger(), source, resyncIntervalMs: 0 });
    const emitted: number[][] = [];
    table.on('ports', (p) => emitted.push([...p]));
    source.answer = [container('a'), container('b', { ingress: [{ externalPort: 8200, targetPort: 22, protocol: 'tcp' }] })];
    await table.start();
    expect(table.lookup('b', 8200)).toEqual({ host: '127.0.0.1', port: 22, protocol: 'tcp' });
    expect(emitted).toHaveLength(1);

    expect(await table.resync()).toBe(true);
    expect(emitted).toHaveLength(1); // same set: no event

    source.answer = [container('b', { ingress: [{ externalPort: 8200, targetPort: 22, protocol: 'tcp' }] })];
    await table.resync();
    expect(table.get('a')).toBeUndefined();
    expect([...table.ports()]).toEqual([8200]);

    source.answer = undefined; // compute unreachable: keep what we have
    expect(await table.resync()).toBe(false);
    expect(table.lookup('b', 8200)).toBeDefined();
    await table.stop();
  });

  it('keeps events that arrive while a resync is fetching (the snapshot is older)', async () => {
    const source = new ScriptedSource();
    const table = new ContainerIngressTable({ logger: memoryLogger(), source, resyncIntervalMs: 0 });
    source.answer = [container('old')];
    await table.start();

    let release: () => void = () => undefined;
    source.gate = new Promise((resolve) => (release = resolve));
    source.answer = [container('old', { status: 'stopped' })]; // snapshot taken before the events below
    const pending = table.resync();
    const meta = { eventId: 'e', timestamp: new Date().toISOString(), source: 'test', version: 1 as const };
    table.applyEvent({ type: 'compute.container.started', subject: 's', meta, data: container('old') });
    table.applyEvent({ type: 'compute.container.started', subject: 's', meta, data: container('new') });
    release();
    await pending;
    expect(table.lookup('old', 8080)).toBeDefined();
    expect(table.lookup('new', 8080)).toBeDefined();
  });

  it('ignores an event older than the version it holds, and a late event of a deleted container', async () => {
    const source = new ScriptedSource();
    const table = new ContainerIngressTable({ logger: memoryLogger(), source, resyncIntervalMs: 0 });
    source.answer = [container('v', { version: 5 })];
    await table.start();
    const meta = { eventId: 'e', timestamp: new Date().toISOString(), source: 'test', version: 1 as const };
    const event = (type: 'compute.container.started' | 'compute.container.stopped' | 'compute.container.deleted', data: ContainerRecord) =>
      table.applyEvent({ type, subject: 's', meta, data });

    event('compute.container.stopped', container('v', { status: 'stopped', version: 4 }));
    expect(table.lookup('v', 8080)).toBeDefined();
    event('compute.container.stopped', container('v', { status: 'stopped', version: 6 }));
    expect(table.lookup('v', 8080)).toBeUndefined();
    event('compute.container.started', container('v', { version: 5 }));
    expect(table.lookup('v', 8080)).toBeUndefined();
    event('compute.container.deleted', container('v', { status: 'deleted', version: 7 }));
    event('compute.container.started', container('v', { version: 6 }));
    expect(table.get('v')).toBeUndefined();
    // Publishers from before versions existed: their events always apply.
    const { version: _dropped, ...unversioned } = container('w');
    event('compute.container.started', unversioned);
    expect(table.lookup('w', 8080)).toBeDefined();
    await table.stop();
  });

  it('resyncs periodically', async () => {
    const source = new ScriptedSource();
    const table = new ContainerIngressTable({ logger: memoryLogger(), source, resyncIntervalMs: 50 });
    await table.start();
    source.answer = [container('later')];
    await waitUntil(() => table.lookup('later', 8080) !== undefined, 2_000);
    await table.stop();
  });
});

describe('HttpContainerSource', () => {
  let server: Server;
  let baseUrl: string;
  let status = 200;
  let body: unknown = { containers: [] };
  const seenKeys: Array<string | undefined> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seenKeys.push(req.headers['x-service-key'] as string | undefined);
      if (req.url !== '/internal/containers') status = 404;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads the list with the service key', async () => {
    status = 200;
    body = { containers: [container('h1')] };
    const source = new HttpContainerSource({ baseUrl, serviceKey: 'svc-key', logger: memoryLogger() });
    expect(await source.list()).toEqual([container('h1')]);
    expect(seenKeys.at(-1)).toBe('svc-key');
  });

  it('treats 404, errors, invalid bodies and connection refused as "no answer"', async () => {
    const logger = memoryLogger();
    const source = new HttpContainerSource({ baseUrl, logger });
    status = 404;
    expect(await source.list()).toBeUndefined();
    status = 500;
    expect(await source.list()).toBeUndefined();
    status = 200;
    body = { containers: [{ containerId: 'x' }] };
    expect(await source.list()).toBeUndefined();
    body = { containers: [] };
    expect(await source.list()).toEqual([]);
    expect(logger.lines.map((l) => l['msg'])).toEqual([
      'container resync source unavailable',
      'container resync source unavailable',
      'container resync source unavailable',
      'container resync source is back',
    ]);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = new HttpContainerSource({ baseUrl: `http://127.0.0.1:${port}`, logger });
    expect(await refused.list()).toBeUndefined();
    expect(logger.lines.at(-1)?.['problem']).toBe('unreachable: ECONNREFUSED');
  });
});
