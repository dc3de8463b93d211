import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { followFeed, type FeedSocket, type FeedState } from './reconnecting-socket';

// A real WebSocket server on port 0 plays the feed; `ws`'s client has the browser's onopen/onmessage/onclose API.

let server: WebSocketServer;
let url: string;
let connections: WebSocket[];

/** A `ws` client as the browser socket the feed expects (the same on* properties; the event types differ in name only). */
const browserSocket = (address: string): FeedSocket => new WebSocket(address) as unknown as FeedSocket;

beforeEach(async () => {
  connections = [];
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Resolves when `condition` holds, checked on each event the feed reports. */
function recorder() {
  const states: FeedState[] = [];
  const messages: string[] = [];
  let opens = 0;
  let waiting: Array<() => void> = [];
  const changed = () => {
    const pending = waiting;
    waiting = [];
    for (const wake of pending) wake();
  };
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise<void>((resolve) => waiting.push(resolve));
  };
  return {
    states,
    messages,
    opens: () => opens,
    until,
    handlers: {
      onMessage: (event: MessageEvent) => (messages.push(String(event.data)), changed()),
      onOpen: () => (opens++, changed()),
      onState: (state: FeedState) => (states.push(state), changed()),
    },
  };
}

describe('followFeed', () => {
  it('delivers messages, and after the server drops it connects again (a new open each time)', async () => {
    const feed = recorder();
    const urls: string[] = [];
    const stop = followFeed(
      {
        open: async () => {
          urls.push(`${url}?attempt=${urls.length}`);
          return browserSocket(urls.at(-1) ?? url);
        },
        ...feed.handlers,
      },
      10,
    );
    await feed.until(() => feed.opens() === 1);
    connections[0]?.send('first');
    await feed.until(() => feed.messages.length === 1);
    connections[0]?.close();
    await feed.until(() => feed.opens() === 2);
    connections[1]?.send('second');
    await feed.until(() => feed.messages.length === 2);
    stop();
    expect(feed.messages).toEqual(['first', 'second']);
    expect(feed.states).toEqual(['live', 'reconnecting', 'live']);
    expect(urls).toEqual([`${url}?attempt=0`, `${url}?attempt=1`]);
  });

  it('retries when a connection cannot be opened (no ticket), then follows', async () => {
    const feed = recorder();
    let calls = 0;
    const stop = followFeed(
      {
        open: async () => {
          if (calls++ === 0) throw new Error('no ticket');
          return browserSocket(url);
        },
        ...feed.handlers,
      },
      10,
    );
    await feed.until(() => feed.opens() === 1);
    stop();
    expect(feed.states).toEqual(['reconnecting', 'live']);
  });

  it('once stopped, closes the socket and does not reconnect', async () => {
    const feed = recorder();
    const stop = followFeed({ open: async () => browserSocket(url), ...feed.handlers }, 10);
    await feed.until(() => feed.opens() === 1);
    const closed = new Promise((resolve) => connections[0]?.once('close', resolve));
    stop();
    await closed;
    // A stopped feed opened nothing more: a fresh follower connects as the second client the server sees.
    const second = recorder();
    const stopSecond = followFeed({ open: async () => browserSocket(url), ...second.handlers }, 10);
    await second.until(() => second.opens() === 1);
    stopSecond();
    expect(connections).toHaveLength(2);
    expect(feed.states).toEqual(['live']);
  });

  it('closes a socket that arrives after stop', async () => {
    let release: (socket: WebSocket) => void = () => undefined;
    const feed = recorder();
    const stop = followFeed(
      {
        open: () => new Promise<FeedSocket>((resolve) => (release = (socket) => resolve(socket as unknown as FeedSocket))),
        ...feed.handlers,
      },
      10,
    );
    stop();
    const late = new WebSocket(url);
    // Open already (a browser may close a socket still connecting; `ws` would throw).
    await new Promise((resolve) => late.once('open', resolve));
    const closed = new Promise((resolve) => late.once('close', resolve));
    release(late);
    await closed;
    expect(feed.opens()).toBe(0);
  });
});
