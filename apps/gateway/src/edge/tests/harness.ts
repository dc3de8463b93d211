import { EventEmitter } from 'node:events';
import { createServer, request, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@edd/logger';
import { RouteTable } from '@edd/route-registry';
import { startEdge } from '../index';
import type { Edge, EdgeConfig, EdgeMetrics, EdgeRoute, IngressTarget, TlsMaterial } from '../types';

export class TestContainers extends EventEmitter {
  rules = new Map<string, IngressTarget>();
  set(id: string, externalPort: number, target: IngressTarget): void {
    this.rules.set(`${id}:${externalPort}`, target);
    this.emit('ports', this.ports());
  }
  lookup(id: string, externalPort: number): IngressTarget | undefined {
    return this.rules.get(`${id}:${externalPort}`);
  }
  ports(): ReadonlySet<number> {
    return new Set([...this.rules.keys()].map((k) => Number(k.split(':')[1])));
  }
}

export class TestMetrics implements EdgeMetrics {
  finished: Array<{ route: string; status: number }> = [];
  open = 0;
  requestFinished(route: string, status: number): void {
    this.finished.push({ route, status });
  }
  upstreamLatency(): void {
    // not asserted
  }
  connectionOpened(): void {
    this.open++;
  }
  connectionClosed(): void {
    this.open--;
  }
}

export function silentLogger(lines?: string[]): Logger {
  return createLogger({
    service: 'gateway-test',
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines?.push(chunk.toString());
        cb();
      },
    }),
  });
}

export interface TestEdge {
  edge: Edge;
  /** The control plane's real route table. */
  routes: RouteTable;
  containers: TestContainers;
  metrics: TestMetrics;
  logLines: string[];
  close(): Promise<void>;
}

export async function startTestEdge(routes: EdgeRoute[], config: EdgeConfig = {}, tls?: TlsMaterial): Promise<TestEdge> {
  const table = new RouteTable(routes.map((route) => ({ priority: 0, ...route })));
  const containers = new TestContainers();
  const metrics = new TestMetrics();
  const logLines: string[] = [];
  const edge = await startEdge({
    config: { GATEWAY_HTTP_PORT: 0, GATEWAY_HTTPS_PORT: 0, GATEWAY_SSH_PORT: 0, ...config },
    routes: table,
    containers,
    metrics,
    logger: silentLogger(logLines),
    tls,
    accessLogStream: { write: (chunk: Uint8Array) => logLines.push(...Buffer.from(chunk).toString('utf8').split('\n').filter(Boolean)) },
  });
  return { edge, routes: table, containers, metrics, logLines, close: () => edge.close(500) };
}

export async function startUpstream(
  handler: RequestListener,
): Promise<{ server: Server; port: number; url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A raw-socket upstream for framing tests: `answer(path, socket)` writes whatever bytes it likes for each
 * request head received; `received` holds every byte the gateway sent it.
 */
export async function startRawUpstream(
  answer: (path: string, socket: Socket) => void,
): Promise<{ port: number; readonly received: string; clearReceived(): void; close(): void }> {
  let received = '';
  const server = createNetServer((s) => {
    let buffered = '';
    s.on('data', (c: Buffer) => {
      received += c.toString('latin1');
      buffered += c.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) !== -1) {
        const path = buffered.split(' ')[1] ?? '/';
        buffered = buffered.slice(end + 4);
        answer(path, s);
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get received() {
      return received;
    },
    clearReceived: () => {
      received = '';
    },
    close: () => server.close(),
  };
}

export interface SimpleResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One request through node:http (a fresh connection each time, so tests do not share keep-alive state). */
export function get(
  port: number,
  host: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host, ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Writes raw bytes (optionally one byte at a time) and collects everything the gateway sends until it
 * closes the connection or `waitMs` passes.
 */
export function raw(
  port: number,
  data: string | Buffer,
  options: { byteByByte?: boolean; waitMs?: number } = {},
): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const done = (): void => resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, options.waitMs ?? 2_000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      done();
    });
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    socket.on('connect', async () => {
      if (!options.byteByByte) {
        socket.write(bytes);
        return;
      }
      for (let i = 0; i < bytes.length; i++) {
        socket.write(bytes.subarray(i, i + 1));
        await new Promise((r) => setTimeout(r, 2));
      }
    });
  });
}

/** The JSON body of the single response in a `raw()` transcript. */
export function bodyOf(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

/** Whole responses (each framed by Content-Length) off one keep-alive connection, in order. */
export function responsesOf(socket: Socket): (timeoutMs?: number) => Promise<string> {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  });
  const take = (): string | undefined => {
    const headEnd = buffered.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const head = buffered.subarray(0, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const end = headEnd + 4 + length;
    if (buffered.length < end) return undefined;
    const response = buffered.subarray(0, end).toString('latin1');
    buffered = buffered.subarray(end);
    return response;
  };
  return async (timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = take();
      if (response !== undefined) return response;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no whole response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
}
