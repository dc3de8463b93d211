import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { sandboxAvailability } from '../src/runtime/sandbox/availability';
import { createSandboxRuntime } from '../src/runtime/sandbox';
import { sandboxTestNetwork } from '../src/runtime/sandbox/testing';
import type { ContainerRuntime } from '../src/runtime/container-runtime';
import { generateEd25519Pair as generateEd25519 } from '@edd/ssh-keys';
import { call, startCompute, type Compute, type TestUser } from './harness';

const availability = await sandboxAvailability();
if (!availability.available) console.warn(`compute on the sandbox skipped: ${availability.reason} (${availability.remedy})`);

interface Screen {
  socket: WebSocket;
  text(): string;
  controls: Array<Record<string, unknown>>;
  until(predicate: () => boolean, what: string): Promise<void>;
}

/** A WebSocket client that keeps what it received: binary frames as text, text frames as JSON or lines. */
function openSocket(url: string, token: string): Screen {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  let text = '';
  const controls: Array<Record<string, unknown>> = [];
  socket.on('message', (data, isBinary) => {
    const chunk = Buffer.from(data as Buffer).toString('utf8');
    if (isBinary) text += chunk;
    else if (chunk.startsWith('{')) controls.push(JSON.parse(chunk) as Record<string, unknown>);
    else text += `${chunk}\n`;
  });
  return {
    socket,
    text: () => text,
    controls,
    async until(predicate, what) {
      const deadline = Date.now() + 15_000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got: ${text.slice(-400)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

describe.skipIf(!availability.available)('compute on the sandbox runtime: API, terminal and logs against real containers', () => {
  let compute: Compute<ContainerRuntime>;
  let network: Awaited<ReturnType<typeof sandboxTestNetwork>>;
  let alice: TestUser;
  let containerId: string;
  const wsBase = () => compute.url.replace('http://', 'ws://');

  async function waitForStatus(id: string, status: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const reply = await call(compute.url, 'GET', `/compute/containers/${id}`, { token: alice.token });
      if (reply.body['status'] === status) return reply.body;
      if (Date.now() > deadline) throw new Error(`container ${id} did not become ${status}: ${reply.text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    network = await sandboxTestNetwork();
    const runtime = createSandboxRuntime({ dataDir: network.dataDir, subnet: network.subnet, bridge: network.bridge });
    compute = await startCompute('sandbox', { runtime, applyTimeoutMs: 30_000 });
    alice = await compute.user('alice');
    const key = await call(compute.url, 'POST', '/compute/ssh-keys', {
      token: alice.token,
      json: { name: 'laptop', public_key: generateEd25519().publicKey },
    });
    expect(key.status).toBe(201);
    const created = await call(compute.url, 'POST', '/compute/containers', {
      token: alice.token,
      json: { name: 'web', ssh_key_ids: [key.body['id']] },
    });
    expect(created.status).toBe(201);
    expect(created.body['status']).toBe('pending');
    containerId = String(created.body['id']);
    await waitForStatus(containerId, 'running');
  });

  afterAll(async () => {
    if (compute && containerId) await call(compute.url, 'DELETE', `/compute/containers/${containerId}`, { token: alice.token });
    // Give the reconciler its chance to remove the sandbox, then make sure nothing is left.
    if (compute && containerId) await compute.runtime.remove(containerId).catch(() => undefined);
    await compute?.close();
    await compute?.runtime.close();
    await network?.cleanup();
  });

  it('opens a shell in the container over the web terminal: what is typed runs there', async () => {
    const terminal = openSocket(`${wsBase()}/compute/containers/${containerId}/terminal?cols=100&rows=30`, alice.token);
    await new Promise((resolve) => terminal.socket.once('open', resolve));
    terminal.socket.send(Buffer.from('echo "$(hostname)-$((6*7))"; stty size\n'), { binary: true });
    await terminal.until(() => terminal.text().includes(`${containerId}-42`), 'the hostname and the sum');
    await terminal.until(() => terminal.text().includes('30 100'), 'the initial size');
    terminal.socket.send(JSON.stringify({ type: 'resize', cols: 120, rows: 40 }));
    terminal.socket.send(Buffer.from('stty size\n'), { binary: true });
    await terminal.until(() => terminal.text().includes('40 120'), 'the resized PTY');
    terminal.socket.close();
  });

  it("follows the container's output on the logs socket", async () => {
    const logs = openSocket(`${wsBase()}/compute/containers/${containerId}/logs?tail=50`, alice.token);
    await logs.until(() => /sshd|Server listening/i.test(logs.text()), "sshd's lines");
    logs.socket.close();
  });

  it("refuses another user's terminal and logs before upgrading", async () => {
    const mallory = await compute.user('mallory');
    for (const path of ['terminal', 'logs']) {
      const socket = new WebSocket(`${wsBase()}/compute/containers/${containerId}/${path}`, {
        headers: { authorization: `Bearer ${mallory.token}` },
      });
      // Terminating a refused handshake reports an error on the client: expected here.
      socket.on('error', () => undefined);
      const status = await new Promise<number>((resolve) => {
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => resolve(101));
      });
      socket.terminate();
      expect(status, path).toBe(403);
    }
  });

  it('says why when the container is stopped, and closes the terminal', async () => {
    expect((await call(compute.url, 'POST', `/compute/containers/${containerId}/stop`, { token: alice.token })).status).toBe(200);
    await waitForStatus(containerId, 'stopped');
    const terminal = openSocket(`${wsBase()}/compute/containers/${containerId}/terminal`, alice.token);
    expect(await closed(terminal.socket)).toBe(1011);
    expect(terminal.controls[0]).toMatchObject({ type: 'error', error: expect.stringContaining('not running') });
  });
});
