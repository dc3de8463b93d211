import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCerts, type DevCerts } from './make-dev-certs';

const run = promisify(execFile);

describe('ensureDevCerts', () => {
  let dir: string;
  let certs: DevCerts;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-tls-test-'));
    certs = await ensureDevCerts({ dir, domain: 'cloud.localhost' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('issues a server certificate for the domain and its subdomains, signed by the local CA', async () => {
    expect(certs.created).toBe('ca+server');
    const ca = new X509Certificate(await readFile(certs.caCertFile));
    const leaf = new X509Certificate(await readFile(certs.certFile));
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    // checkHost answers with the certificate name that matched (the wildcard for subdomains).
    expect(leaf.checkHost('cloud.localhost')).toBe('cloud.localhost');
    expect(leaf.checkHost('auth.cloud.localhost')).toBe('*.cloud.localhost');
    expect(leaf.checkHost('docs.cloud.localhost')).toBe('*.cloud.localhost');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    // One label only (RFC 6125 §6.4.3) and never another domain.
    expect(leaf.checkHost('a.b.cloud.localhost')).toBeUndefined();
    expect(leaf.checkHost('example.com')).toBeUndefined();
  });

  it('limits the CA to the dev domain and loopback names, for a short time: a leaf it signs for another site fails', async () => {
    const ca = new X509Certificate(await readFile(certs.caCertFile));
    const lifetimeDays = (new Date(ca.validTo).getTime() - new Date(ca.validFrom).getTime()) / 86_400_000;
    expect(lifetimeDays).toBeLessThanOrEqual(181);
    const work = await mkdtemp(join(tmpdir(), 'dev-tls-evil-'));
    try {
      const sign = async (name: string) => {
        const key = join(work, `${name}.key`);
        const csr = join(work, `${name}.csr`);
        const crt = join(work, `${name}.crt`);
        const ext = join(work, `${name}.ext`);
        await writeFile(ext, `subjectAltName=DNS:${name}\n`);
        await run('openssl', [
          'req',
          '-new',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          csr,
          '-subj',
          `/CN=${name}`,
        ]);
        await run('openssl', [
          'x509',
          '-req',
          '-in',
          csr,
          '-CA',
          certs.caCertFile,
          '-CAkey',
          certs.caKeyFile,
          '-set_serial',
          '7',
          '-days',
          '1',
          '-extfile',
          ext,
          '-out',
          crt,
        ]);
        return run('openssl', ['verify', '-CAfile', certs.caCertFile, crt]).then(
          () => 'ok',
          (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
        );
      };
      expect(await sign('docs.cloud.localhost')).toBe('ok');
      // What a leaked dev CA key would be used for: a bank's name. Refused by the CA's own constraints.
      expect(await sign('bank.example.com')).toMatch(/permitted subtree violation/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('is idempotent: a second run reuses both files', async () => {
    const before = await readFile(certs.certFile, 'utf8');
    const again = await ensureDevCerts({ dir, domain: 'cloud.localhost' });
    expect(again.created).toBe('none');
    expect(await readFile(again.certFile, 'utf8')).toBe(before);
  });

  it('re-issues only the server certificate when it is damaged, keeping the trusted CA', async () => {
    const caBefore = await readFile(certs.caCertFile, 'utf8');
    await writeFile(certs.certFile, 'not a certificate');
    const again = await ensureDevCerts({ dir, domain: 'cloud.localhost' });
    expect(again.created).toBe('server');
    expect(await readFile(again.caCertFile, 'utf8')).toBe(caBefore);
  });

  it('re-issues when the certificate expires within the wanted margin', async () => {
    // 120 days: beyond the leaf's 90, within the CA's 180.
    const again = await ensureDevCerts({ dir, domain: 'cloud.localhost', minValidDays: 120 });
    expect(again.created).toBe('server');
  });

  it('serves a TLS handshake that a client trusting only the CA accepts for auth.cloud.localhost', async () => {
    const server = createServer({ cert: await readFile(certs.certFile), key: await readFile(certs.keyFile) }, (socket) =>
      socket.end('hello'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const ca = await readFile(certs.caCertFile);
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'auth.cloud.localhost', ca: [ca] });
        let data = '';
        socket.on('secureConnect', () => {
          if (!socket.authorized) reject(socket.authorizationError);
        });
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(text).toBe('hello');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('follows another base domain', async () => {
    const other = await ensureDevCerts({ dir, domain: 'example.test' });
    const leaf = new X509Certificate(await readFile(other.certFile));
    expect(other.certFile.endsWith('example.test.crt')).toBe(true);
    expect(leaf.checkHost('storage.example.test')).toBe('*.example.test');
    expect(leaf.checkHost('auth.cloud.localhost')).toBeUndefined();
  });
});
