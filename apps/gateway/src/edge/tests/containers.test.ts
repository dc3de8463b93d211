import { connect, createServer } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert } from './certs';
import { waitUntil } from '../../wait-until';
import { get, raw, startTestEdge, startUpstream, type TestEdge } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

/** A port in the ingress range that is free right now (other test runs may hold some). */
async function freeIngressPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 8000 + Math.floor(Math.random() * 1000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free ingress port');
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

describe('edge container ingress', () => {
  let app: Upstream;
  let gw: TestEdge;
  let port = 0;

  beforeAll(async () => {
    app = await startUpstream((req, res) =>
      res.end(req.url === '/cookies' ? `cookie=${req.headers.cookie ?? '(none)'}` : `container saw ${req.url} host=${req.headers.host}`),
    );
    gw = await startTestEdge([]);
    port = await freeIngressPort();
  });
  afterAll(async () => {
    await gw.close();
    await app.close();
  });

  it('opens an ingress port while a rule uses it and routes <id>.compute hosts to the target', async () => {
    expect(await refused(port)).toBe(true);
    gw.containers.set('c1', port, { host: '127.0.0.1', port: app.port, protocol: 'http' });
    await waitUntil(() => gw.edge.ingressPorts().has(port));
    expect(gw.edge.ingressPorts().get(port)).toBe(port);
    const res = await get(port, `c1.compute.cloud.localhost:${port}`, '/hello?x=1');
    expect(res.status).toBe(200);
    expect(res.body).toBe(`container saw /hello?x=1 host=c1.compute.cloud.localhost:${port}`);
    expect(gw.metrics.finished.at(-1)).toEqual({ route: 'container', status: 200 });
  });

  it("never forwards the platform's session cookie to a container, and keeps the container's own cookies", async () => {
    const ask = async (cookieLines: string) => {
      const res = await raw(port, `GET /cookies HTTP/1.1\r\nHost: c1.compute.cloud.localhost\r\n${cookieLines}Connection: close\r\n\r\n`);
      return res.text.slice(res.text.indexOf('\r\n\r\n') + 4);
    };
    expect(await ask('Cookie: theme=dark; token=eyJ.session.jwt; lang=en\r\n')).toBe('cookie=theme=dark; lang=en');
    expect(await ask('Cookie: token=eyJ.session.jwt\r\n')).toBe('cookie=(none)');
    expect(await ask('cookie: a=1\r\nCOOKIE: token=x; b=2\r\n')).toBe('cookie=a=1; b=2');
    expect(await ask('Cookie: mytoken=keep; token_x=keep\r\n')).toBe('cookie=mytoken=keep; token_x=keep');
  });

  it('answers 404 for an unknown container, for a platform host on an ingress port, and on a port the rule does not name', async () => {
    const answers = [
      await get(port, 'zz.compute.cloud.localhost', '/'),
      await get(port, 'cloud.localhost', '/'),
      await get(gw.edge.ports.http, 'c1.compute.cloud.localhost', '/'),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'no_route' });
    }
  });

  it('routes each request by its own host when container and platform hosts alternate (the router remembers the last)', async () => {
    for (let round = 0; round < 3; round++) {
      const container = await get(port, 'c1.compute.cloud.localhost', `/r${round}`);
      expect(container.status).toBe(200);
      expect(container.body).toBe(`container saw /r${round} host=c1.compute.cloud.localhost`);
      expect((await get(port, 'cloud.localhost', '/')).status).toBe(404);
      // A platform host as long as the container's, then the container's again.
      expect((await get(port, 'abcdefghij.cloud.localhost', '/')).status).toBe(404);
    }
  });

  it('closes TLS on an ingress port without a tls rule, and unknown bytes', async () => {
    expect((await raw(port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]))).closed).toBe(true);
    expect((await raw(port, 'HELLO\r\n')).closed).toBe(true);
  });

  it('passes TLS through on an ingress port to a tls rule, chosen by SNI', async () => {
    const cert = await makeCert('c2.compute.cloud.localhost', ['c2.compute.cloud.localhost']);
    const tlsApp = createTlsServer({ cert: cert.cert, key: cert.key }, (s) => s.end('tls app'));
    await new Promise<void>((r) => tlsApp.listen(0, '127.0.0.1', r));
    const tlsPort = await freeIngressPort();
    gw.containers.set('c2', tlsPort, { host: '127.0.0.1', port: (tlsApp.address() as { port: number }).port, protocol: 'tls' });
    await waitUntil(() => gw.edge.ingressPorts().has(tlsPort));
    const text = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: tlsPort, servername: 'c2.compute.cloud.localhost', ca: cert.ca });
      let got = '';
      s.on('data', (c: Buffer) => (got += c.toString()));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
    expect(text).toBe('tls app');
    tlsApp.close();
  });

  it('closes the ingress port when no rule uses it any more', async () => {
    gw.containers.rules.clear();
    gw.containers.emit('ports', gw.containers.ports());
    await waitUntil(() => !gw.edge.ingressPorts().has(port));
    expect(await refused(port)).toBe(true);
  });
});
