import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, type TestCert } from './certs';
import { startTestEdge, startUpstream, type TestEdge } from './harness';

/** A real TLS 1.2 handshake offering only `ciphers`: the suite agreed on, or the handshake error. */
function handshake(port: number, ca: Buffer, ciphers: string, maxVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.2'): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, servername: 'cloud.localhost', ca, ciphers, maxVersion }, () => {
      const suite = s.getCipher().name;
      s.destroy();
      resolve(suite);
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(`refused: ${err.code ?? err.message}`));
  });
}

/** Issue 14 item 10: TLS 1.2 offered CBC and SHA-1 suites (Node's default list includes them). */
describe('edge TLS cipher suites', () => {
  let cert: TestCert;
  let up: Awaited<ReturnType<typeof startUpstream>>;
  let gw: TestEdge;

  beforeAll(async () => {
    cert = await makeCert('cloud.localhost', ['cloud.localhost', '*.cloud.localhost']);
    up = await startUpstream((_req, res) => res.end('ok'));
    gw = await startTestEdge(
      [{ host: 'cloud.localhost', pathPrefix: '/', target: up.url, stripPrefix: false }],
      {},
      { cert: cert.cert, key: cert.key },
    );
  });
  afterAll(async () => {
    await gw.close();
    await up.close();
  });

  it('refuses a TLS 1.2 client offering only CBC suites (SHA-1 and SHA-2 MACs)', async () => {
    for (const suites of [
      'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA',
      'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384',
    ]) {
      expect(await handshake(gw.edge.ports.https, cert.ca, suites), suites).toMatch(/^refused: /);
    }
  });

  it('agrees an AEAD suite with a normal TLS 1.2 client, and TLS 1.3 by default', async () => {
    // The test certificate is EC P-256 (certs.ts): ECDSA suites; the RSA ones are configured alike.
    for (const suite of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
      expect(await handshake(gw.edge.ports.https, cert.ca, `${suite}:ECDHE-ECDSA-AES128-SHA`)).toBe(suite);
    }
    expect(await handshake(gw.edge.ports.https, cert.ca, 'DEFAULT', 'TLSv1.3')).toMatch(/^TLS_/);
  });
});
