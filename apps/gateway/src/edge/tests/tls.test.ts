import { request, type RequestOptions } from 'node:https';
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import { connect, createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, type TestCert } from './certs';
import { get, startTestEdge, startUpstream, type TestEdge } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

/** A TCP relay that forwards what the client sends one byte per write (the reply flows unchanged). */
async function byteByByteRelay(target: number): Promise<{ port: number; firstWrites(): number; close(): void }> {
  let writes = 0;
  const server = createNetServer((client) => {
    const upstream = netConnect(target, '127.0.0.1');
    upstream.pipe(client);
    let queue = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      queue = queue.then(async () => {
        for (let i = 0; i < chunk.length; i++) {
          upstream.write(chunk.subarray(i, i + 1));
          writes++;
          await new Promise((r) => setImmediate(r));
        }
      });
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, firstWrites: () => writes, close: () => server.close() };
}

function httpsGet(port: number, host: string, path: string, ca: Buffer): Promise<{ status: number; body: string; alpn: string }> {
  return new Promise((resolve, reject) => {
    // ALPN is passed through to tls.connect; the https typings do not list it.
    const options: RequestOptions & { ALPNProtocols: string[] } = {
      host: '127.0.0.1',
      port,
      path,
      servername: host,
      headers: { host },
      ca,
      agent: false,
      ALPNProtocols: ['h2', 'http/1.1'],
    };
    const req = request(options, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, alpn: (res.socket as unknown as { alpnProtocol: string }).alpnProtocol }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('edge TLS', () => {
  let platform: TestCert;
  let container: TestCert;
  let up: Upstream;
  let containerTls: Server;
  let containerPort = 0;
  let gw: TestEdge;

  beforeAll(async () => {
    platform = await makeCert('cloud.localhost', ['cloud.localhost', '*.cloud.localhost']);
    container = await makeCert('c1.compute.cloud.localhost', ['c1.compute.cloud.localhost']);
    up = await startUpstream((req, res) => res.end(JSON.stringify({ url: req.url, proto: req.headers['x-forwarded-proto'] })));
    containerTls = createServer({ cert: container.cert, key: container.key }, (s) => s.end('hello from the container'));
    await new Promise<void>((r) => containerTls.listen(0, '127.0.0.1', r));
    containerPort = (containerTls.address() as { port: number }).port;
    gw = await startTestEdge(
      [{ host: 'cloud.localhost', pathPrefix: '/', target: up.url, stripPrefix: false }],
      { GATEWAY_HTTPS_REDIRECT: true },
      { cert: platform.cert, key: platform.key },
    );
    gw.containers.set('c1', 443, { host: '127.0.0.1', port: containerPort, protocol: 'tls' });
  });
  afterAll(async () => {
    await gw.close();
    await up.close();
    containerTls.close();
  });

  it('terminates TLS with the platform certificate (ALPN http/1.1) and proxies', async () => {
    const res = await httpsGet(gw.edge.ports.https, 'cloud.localhost', '/dash', platform.ca);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ url: '/dash', proto: 'https' });
    expect(res.alpn).toBe('http/1.1');
  });

  it('refuses TLS 1.1', async () => {
    const attempt = new Promise((resolve, reject) => {
      const s = connect(
        {
          host: '127.0.0.1',
          port: gw.edge.ports.https,
          servername: 'cloud.localhost',
          ca: platform.ca,
          maxVersion: 'TLSv1.1',
          minVersion: 'TLSv1',
        },
        () => resolve('connected'),
      );
      s.on('error', reject);
    });
    await expect(attempt).rejects.toThrow();
  });

  it('passes TLS for <id>.compute through to the container: the client sees its certificate', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect(
        { host: '127.0.0.1', port: gw.edge.ports.https, servername: 'c1.compute.cloud.localhost', ca: container.ca },
        () => {
          expect(s.getPeerCertificate().subject.CN).toBe('c1.compute.cloud.localhost');
        },
      );
      let got = '';
      s.on('data', (c: Buffer) => (got += c.toString()));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
    expect(text).toBe('hello from the container');
  });

  it('closes TLS for an unknown container', async () => {
    const attempt = new Promise((resolve, reject) => {
      const s = connect(
        { host: '127.0.0.1', port: gw.edge.ports.https, servername: 'zz.compute.cloud.localhost', rejectUnauthorized: false },
        () => resolve('connected'),
      );
      s.on('error', reject);
    });
    await expect(attempt).rejects.toThrow();
  });

  it('reassembles a ClientHello that arrives one byte at a time', async () => {
    const relay = await byteByByteRelay(gw.edge.ports.https);
    const ok = await new Promise<boolean>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: relay.port, servername: 'cloud.localhost', ca: platform.ca }, () => {
        resolve(s.authorized);
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(ok).toBe(true);
    expect(relay.firstWrites()).toBeGreaterThan(100);
    relay.close();
  });

  it('reloads the certificate with setTls', async () => {
    const next = await makeCert('cloud.localhost', ['cloud.localhost', '*.cloud.localhost']);
    gw.edge.setTls({ cert: next.cert, key: next.key });
    const res = await httpsGet(gw.edge.ports.https, 'cloud.localhost', '/', next.ca);
    expect(res.status).toBe(200);
    await expect(httpsGet(gw.edge.ports.https, 'cloud.localhost', '/', platform.ca)).rejects.toThrow();
    gw.edge.setTls({ cert: platform.cert, key: platform.key });
  });

  it('redirects plain HTTP for core hosts to HTTPS when enabled, except /healthz', async () => {
    const res = await get(gw.edge.ports.http, 'cloud.localhost', '/a?b=1');
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`https://cloud.localhost:${gw.edge.ports.https}/a?b=1`);
    // Not an error, so no error body: the body repeats the target for clients that do not follow redirects.
    expect(JSON.parse(res.body)).toEqual({ location: res.headers.location });
    const health = await get(gw.edge.ports.http, 'cloud.localhost', '/healthz');
    expect(health.status).toBe(200);
  });
});
