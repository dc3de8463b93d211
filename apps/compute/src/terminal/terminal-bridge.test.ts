import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ed25519 as generateEd25519, startTestSshd, testSshdUnavailable, type KeyPair, type TestSshd } from '@edd/ssh-keys/testing';
import { openShell } from './open-shell';
import type { SshTarget } from './ssh-target';
import { bridgeTerminal } from './terminal-bridge';

const unavailable = testSshdUnavailable();
if (unavailable) console.warn(`terminal bridge tests skipped: ${unavailable}`);

/** Collects what the browser would see: binary output as text, and the JSON control messages. */
function browserSide(url: string) {
  const socket = new WebSocket(url);
  let screen = '';
  const controls: unknown[] = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) screen += Buffer.from(data as Buffer).toString('utf8');
    else controls.push(JSON.parse(String(data)));
  });
  const waitFor = async (predicate: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen: ${screen.slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const type = (text: string) => socket.send(Buffer.from(text), { binary: true });
  return { socket, screen: () => screen, controls, waitFor, type };
}

describe.skipIf(unavailable)('web terminal over SSH to a real sshd', () => {
  let sshd: TestSshd;
  let platformKey: KeyPair;
  let server: WebSocketServer;
  let url: string;
  let target: SshTarget;

  beforeAll(async () => {
    sshd = await startTestSshd();
    platformKey = generateEd25519();
    await sshd.authorize([platformKey.publicKey]);
    target = {
      host: '127.0.0.1',
      port: sshd.port,
      hostPublicKey: sshd.hostKey.publicKey,
      username: 'root',
      privateKey: platformKey.privateKey,
    };
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    server.on('connection', (socket) => bridgeTerminal(socket, () => openShell(target, { cols: 80, rows: 24 })));
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.close();
    await sshd?.stop();
  });

  it('runs what is typed in binary frames and sends the output back', async () => {
    const browser = browserSide(url);
    await once(browser.socket, 'open');
    browser.type('echo $((6*7))x\n');
    // The typed line echoes "6*7"; only the shell's evaluation prints "42x".
    await browser.waitFor(() => browser.screen().includes('42x'), 'the command output');
    browser.socket.close();
  });

  it('resizes the PTY on a JSON resize message', async () => {
    const browser = browserSide(url);
    await once(browser.socket, 'open');
    browser.socket.send(JSON.stringify({ type: 'resize', cols: 117, rows: 33 }));
    browser.type('stty size\n');
    await browser.waitFor(() => browser.screen().includes('33 117'), 'the new size');
    browser.socket.close();
  });

  it('answers an unknown text frame with an error message and keeps the shell', async () => {
    const browser = browserSide(url);
    await once(browser.socket, 'open');
    browser.socket.send('ls\n');
    await browser.waitFor(() => browser.controls.length > 0, 'the error message');
    expect(browser.controls[0]).toMatchObject({ type: 'error', error: expect.stringContaining('binary frames') });
    browser.type('echo $((2+3))ok\n');
    await browser.waitFor(() => browser.screen().includes('5ok'), 'the shell still answering');
    browser.socket.close();
  });

  it("sends the shell's exit status and closes the socket when the shell ends", async () => {
    const browser = browserSide(url);
    await once(browser.socket, 'open');
    browser.type('exit 3\n');
    const [code] = (await once(browser.socket, 'close')) as [number];
    expect(code).toBe(1000);
    expect(browser.controls).toContainEqual({ type: 'exit', code: 3 });
  });

  it('tells the browser why when the login fails, and closes with 1011', async () => {
    const impostorPinned = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    impostorPinned.on('connection', (socket) =>
      bridgeTerminal(socket, () => openShell({ ...target, hostPublicKey: generateEd25519().publicKey }, { cols: 80, rows: 24 })),
    );
    await once(impostorPinned, 'listening');
    const browser = browserSide(`ws://127.0.0.1:${(impostorPinned.address() as AddressInfo).port}`);
    const [code] = (await once(browser.socket, 'close')) as [number];
    impostorPinned.close();
    expect(code).toBe(1011);
    expect(browser.controls[0]).toMatchObject({ type: 'error', error: expect.stringContaining('could not open a shell') });
  });

  it('refuses a server whose host key is not the pinned one', async () => {
    const impostor = generateEd25519();
    await expect(openShell({ ...target, hostPublicKey: impostor.publicKey }, { cols: 80, rows: 24 })).rejects.toThrow(/host/i);
  });

  it('is refused when the container does not trust the platform key', async () => {
    const stranger = generateEd25519();
    await expect(openShell({ ...target, privateKey: stranger.privateKey }, { cols: 80, rows: 24 })).rejects.toThrow(/authentication/i);
  });
});
