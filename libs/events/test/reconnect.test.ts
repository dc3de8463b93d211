// Reconnection against a private nats-server (its own port and store directory), because the shared server must
// not be restarted. Skipped when nats-server is not on the PATH.
import { afterAll, describe, expect, it } from 'vitest';
import { connectEventBus } from '../src/bus';
import { hasNatsServer, memoryLogger, randomToken, samplePayload, startPrivateNatsServer, waitFor } from '../src/testing';
import type { PrivateNatsServer } from '../src/testing';

let server: PrivateNatsServer | undefined;

afterAll(async () => {
  await server?.dispose();
});

describe.skipIf(!hasNatsServer)('reconnect', () => {
  it('reports the disconnection, reconnects by itself and keeps consuming', async () => {
    server = await startPrivateNatsServer();
    const logger = memoryLogger();
    const bus = await connectEventBus({ servers: server.url, name: 'events-reconnect-test', logger });
    try {
      await bus.ensureStreams();
      const seen: string[] = [];
      await bus.consume({ durable: 'reconnect_test', types: ['notify'], handler: (e) => void seen.push(e.data.userId) });
      const first = randomToken();
      await bus.publish('notify', samplePayload('notify', first));
      await waitFor(() => seen.includes(first));

      await server.stop();
      await waitFor(() => !bus.isConnected());
      await expect(bus.ping()).rejects.toThrow(/not connected/u);

      await server.start();
      await waitFor(() => bus.isConnected(), 20_000);
      await bus.ping();
      const second = randomToken();
      await bus.publish('notify', samplePayload('notify', second));
      await waitFor(() => seen.includes(second), 20_000);
      expect(logger.entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['event bus disconnected', 'event bus reconnected']));
    } finally {
      await bus.close();
    }
    expect(bus.isConnected()).toBe(false);
  }, 60_000);
});
