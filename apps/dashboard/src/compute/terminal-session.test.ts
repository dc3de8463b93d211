import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { TerminalSession, type TerminalConnection, type TerminalSocket } from './terminal-session';

// A real WebSocket server on port 0 plays the terminal endpoint; `ws`'s client has the browser's onopen/onmessage API.

interface Frame {
  text?: string;
  bytes?: number[];
}

let server: WebSocketServer;
let url: string;
let serverSide: Promise<WebSocket>;
let received: Frame[];

beforeEach(async () => {
  received = [];
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  serverSide = new Promise((resolve) =>
    server.once('connection', (socket) => {
      socket.on('message', (data: RawData, isBinary) => {
        const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
        received.push(isBinary ? { bytes: [...buffer] } : { text: buffer.toString('utf8') });
      });
      resolve(socket);
    }),
  );
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A screen that keeps what was written, as text. */
function recordingScreen() {
  const decoder = new TextDecoder();
  const screen = {
    cols: 100,
    rows: 30,
    output: '',
    write: (data: string | Uint8Array) => (screen.output += typeof data === 'string' ? data : decoder.decode(data)),
  };
  return screen;
}

function browserSocket(): TerminalSocket {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  return socket as unknown as TerminalSocket;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

describe('TerminalSession over a real WebSocket', () => {
  it('sends keystrokes typed before the socket opened, then the size, then new keystrokes, as binary and text frames', async () => {
    const states: TerminalConnection[] = [];
    const session = new TerminalSession(recordingScreen(), (state) => states.push(state));
    session.type('ec');
    session.attach(browserSocket());
    session.type('ho\r');
    await serverSide;
    await until(() => received.length >= 3);
    session.resized({ cols: 120, rows: 40 });
    await until(() => received.length >= 4);

    expect(states).toEqual(['open']);
    const bytes = received.filter((f) => f.bytes).flatMap((f) => f.bytes!);
    expect(Buffer.from(bytes).toString()).toBe('echo\r');
    const texts = received.filter((f) => f.text).map((f) => JSON.parse(f.text!) as unknown);
    expect(texts).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'resize', cols: 120, rows: 40 },
    ]);
    session.end();
  });

  it('writes binary output, shows exit and error notices, then says it was disconnected', async () => {
    const screen = recordingScreen();
    const states: TerminalConnection[] = [];
    const session = new TerminalSession(screen, (state) => states.push(state));
    session.attach(browserSocket());
    const server = await serverSide;
    server.send(Buffer.from('hello\r\n'), { binary: true });
    server.send(JSON.stringify({ type: 'error', error: 'unknown control message' }));
    server.send(JSON.stringify({ type: 'exit', code: 3 }));
    server.close(1000, 'shell exited');
    await until(() => states.includes('closed'));

    expect(screen.output).toBe(
      'hello\r\n\r\n[error: unknown control message]\r\n\r\n[the shell exited with code 3]\r\n\r\n[disconnected: shell exited]\r\n',
    );
  });

  it('ends quietly when the page leaves, and drops keystrokes from then on', async () => {
    const screen = recordingScreen();
    const states: TerminalConnection[] = [];
    const session = new TerminalSession(screen, (state) => states.push(state));
    session.attach(browserSocket());
    const server = await serverSide;
    await until(() => received.length === 1); // the initial size
    const closed = new Promise((resolve) => server.once('close', resolve));
    session.end();
    session.type('ls\r');
    await closed;
    expect(received).toHaveLength(1);
    expect(screen.output).toBe('');
    expect(states).not.toContain('closed');
  });
});
