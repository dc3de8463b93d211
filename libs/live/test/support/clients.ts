// Clients for the tests: the ws client, a raw TCP WebSocket that does only what a test tells it, and an SSE reader.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

export interface Refusal {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** Opens a ws client; resolves with it once open, or with the HTTP refusal. */
export function openWs(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; first: Promise<unknown> } | Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    // The first message, registered before 'open' so it cannot be missed.
    const first = new Promise<unknown>((res) => ws.once('message', (data) => res(JSON.parse(String(data)))));
    ws.once('open', () => resolve({ ws, first }));
    ws.once('unexpected-response', (_req, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : {}, headers: response.headers }),
      );
    });
    ws.once('error', reject);
  });
}

export function isRefusal(value: { ws: WebSocket } | Refusal): value is Refusal {
  return 'status' in value;
}

export async function expectOpen(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; hello: Record<string, unknown> }> {
  const opened = await openWs(url, headers);
  if (isRefusal(opened)) throw new Error(`refused: ${opened.status} ${JSON.stringify(opened.body)}`);
  return { ws: opened.ws, hello: (await opened.first) as Record<string, unknown> };
}

export async function expectRefused(url: string, headers: Record<string, string> = {}): Promise<Refusal> {
  const opened = await openWs(url, headers);
  if (!isRefusal(opened)) {
    opened.ws.terminate();
    throw new Error('the upgrade was accepted');
  }
  return opened;
}

export function closedWith(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
}

/**
 * A WebSocket handshake over a bare TCP socket: the returned socket never answers pings or close frames and reads
 * only while flowing (`pause()` makes it a client that stopped reading).
 */
export async function rawWebSocket(port: number, path: string, headers: Record<string, string>): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const head = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(seen);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${head.split('\r\n')[0]}`);
  socket.on('error', () => undefined);
  return socket;
}

export function socketClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });
}

/** Reads an SSE response as text as it arrives. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  let text = '';
  let ended = false;
  const waiters: Array<() => void> = [];
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    if (!reader) return;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        for (const w of waiters.splice(0)) w();
      }
    } catch {
      // the server cut the stream
    }
    ended = true;
    for (const w of waiters.splice(0)) w();
  })();
  return {
    response,
    get text() {
      return text;
    },
    get ended() {
      return ended;
    },
    /** Resolves once `predicate(text)` holds (the test's timeout fails it otherwise). */
    async until(predicate: (text: string) => boolean): Promise<string> {
      while (!predicate(text)) {
        if (ended) throw new Error(`stream ended before the condition; got: ${text}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      return text;
    },
    finished: pump,
    cancel: () => reader?.cancel().catch(() => undefined),
  };
}

/** Polls a condition on the event loop (no fixed sleep: it checks every tick of 10 ms until true). */
export async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
