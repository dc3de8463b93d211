import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import { ed25519, startSshHarness, type SshHarness } from './harness';

async function listenOn<T extends Server | HttpServer>(server: T): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOn(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    socket.end(payload);
  });
}

describe('SSH plane: port forwarding', () => {
  let h: SshHarness;
  let key = '';
  let echo: Server;
  let echoPort = 0;
  let web: HttpServer;
  let webPort = 0;

  beforeAll(async () => {
    h = await startSshHarness();
    const owner = ed25519();
    await h.addContainer('fwd00001', [owner]);
    key = await h.client.identity('owner', owner);
    // A service "inside the container" (the test sshd shares the host's loopback) for -L.
    echo = createServer((socket) => socket.pipe(socket));
    echoPort = await listenOn(echo);
    // A service on the client's side for -R.
    web = createHttpServer((_req, res) => res.end('served by the client side'));
    webPort = await listenOn(web);
  });
  afterAll(async () => {
    await h?.close();
    echo?.close();
    web?.close();
  });

  it('ssh -L: a local port reaches a port inside the container, both directions and EOF', async () => {
    const localPort = await freePort();
    const ssh = h.client.spawnSsh(key, 'fwd00001', ['-N', '-o', 'ExitOnForwardFailure=yes', '-L', `${localPort}:127.0.0.1:${echoPort}`]);
    try {
      await waitFor(async () => (await exchange(localPort, 'ping').catch(() => '')) === 'ping', 30_000, 200);
      const big = 'x'.repeat(3 * 1024 * 1024);
      expect((await exchange(localPort, big)).length).toBe(big.length);
    } finally {
      ssh.kill();
    }
  }, 60_000);

  it('ssh -R: a port opened inside the container reaches a service on the client side', async () => {
    const remotePort = await freePort();
    const command = `for i in $(seq 50); do curl -sf http://127.0.0.1:${remotePort}/ && exit 0; sleep 0.2; done; exit 1`;
    const result = await h.client.ssh(key, 'fwd00001', command, {
      flags: ['-o', 'ExitOnForwardFailure=yes', '-R', `${remotePort}:127.0.0.1:${webPort}`],
      timeoutMs: 60_000,
    });
    expect(result.stderr).not.toMatch(/remote port forwarding failed/);
    expect(result.stdout).toBe('served by the client side');
    expect(result.code).toBe(0);
  }, 60_000);
});
