import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DevApp } from './apps';
import { describeTakenPorts, portsOf, takenPorts } from './port-check';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function occupy(host: string): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

describe('port check before start', () => {
  it('lists every port of the selected apps, extra ports included', () => {
    const apps: DevApp[] = [{ name: 'gateway', port: 18080, subdomain: undefined, readyUrl: '', extraPorts: { ssh: 2222 } }];
    expect(portsOf(apps)).toEqual([
      { app: 'gateway', label: 'http', port: 18080 },
      { app: 'gateway', label: 'ssh', port: 2222 },
    ]);
  });

  it('finds ports held on loopback and on every interface, and only those', async () => {
    const onLoopback = await occupy('127.0.0.1');
    const onAll = await occupy('0.0.0.0');
    const freeServer = createServer();
    await new Promise<void>((resolve) => freeServer.listen(0, '127.0.0.1', resolve));
    const free = (freeServer.address() as AddressInfo).port;
    await new Promise<void>((resolve) => freeServer.close(() => resolve()));

    const claims = [
      { app: 'auth', label: 'http', port: onLoopback },
      { app: 'docs', label: 'http', port: free },
      { app: 'logs', label: 'grpc', port: onAll },
    ];
    const taken = await takenPorts(claims);
    expect(taken).toEqual([claims[0], claims[2]]);
    expect(describeTakenPorts(taken)).toContain(`${onLoopback} (auth), ${onAll} (logs grpc)`);
  });
});
