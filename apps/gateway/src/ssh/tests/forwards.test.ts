import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import type { ClientChannel } from 'ssh2';
import type { KeyPair } from '@edd/ssh-keys/testing';
import { ed25519, startSshHarness, type SshHarness } from './harness';

const TALK = 3 * 1024 * 1024;

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
  let owner: KeyPair;
  let echo: Server;
  let echoPort = 0;
  let web: HttpServer;
  let webPort = 0;
  let talker: Server;
  let talkerPort = 0;

  beforeAll(async () => {
    h = await startSshHarness();
    owner = ed25519();
    await h.addContainer('fwd00001', [owner]);
    key = await h.client.identity('owner', owner);
    // A service "inside the container" (the test sshd shares the host's loopback) for -L.
    echo = createServer((socket) => socket.pipe(socket));
    echoPort = await listenOn(echo);
    // One that says 3 MiB and closes at once, whether or not anyone reads.
    talker = createServer((socket) => socket.end(Buffer.alloc(TALK, 'y')));
    talkerPort = await listenOn(talker);
    // A service on the client's side for -R.
    web = createHttpServer((_req, res) => res.end('served by the client side'));
    webPort = await listenOn(web);
  });
  afterAll(async () => {
    await h?.close();
    echo?.close();
    talker?.close();
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

  it('a forward whose service closed delivers all it sent, though the client read none of it until then', async () => {
    // ssh2 as the client: not read, its channel takes its 2 MiB window; the last MiB then waits in the gateway for
    // window, under the channel's 2 MiB mark, when the container's side of the forward closes. Closing the client's
    // side then would cut it.
    const client = await h.connect('fwd00001', owner);
    try {
      const before = h.plane.relayedBytes().out;
      const channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.forwardOut('127.0.0.1', 0, '127.0.0.1', talkerPort, (error, opened) => (error ? reject(error) : resolve(opened))),
      );
      // The client has nothing to say (EOF), so the container's sshd closes the forward once the service has closed.
      channel.end();
      // Until the gateway has relayed all the service sent.
      await waitFor(async () => h.plane.relayedBytes().out - before === TALK, 30_000, 100);
      let received = 0;
      channel.on('data', (chunk: Buffer) => (received += chunk.length));
      await new Promise((resolve) => channel.once('close', resolve));
      expect(received).toBe(TALK);
    } finally {
      client.end();
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
