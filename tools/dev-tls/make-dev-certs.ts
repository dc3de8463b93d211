import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Development TLS: a local certificate authority and one server certificate for the platform's
 * base domain and every subdomain, so the gateway's HTTPS port works on a laptop. Trust `ca.crt`
 * in the browser (or pass it to curl with --cacert) and every `*.cloud.localhost` page is green.
 * Everything is made with the `openssl` CLI (arguments as arrays, never a shell string).
 */

const run = promisify(execFile);

const WORKSPACE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Short lives: a CA trusted in a browser is a standing risk if its key leaks (it sits in the workspace), so it
 * lasts half a year (re-made, and re-trusted, when under `minValidDays` remain) and its leaves three months.
 */
const CA_DAYS = 180;
const LEAF_DAYS = 90;

export interface DevCertOptions {
  /** Base domain; the certificate covers it and `*.<domain>`. Default EDD_DOMAIN or cloud.localhost. */
  domain?: string;
  /** Output folder. Default `<workspace>/.certs/dev`. */
  dir?: string;
  /** Reuse existing files only while they stay valid this much longer. Default 30 days. */
  minValidDays?: number;
}

export interface DevCerts {
  dir: string;
  domain: string;
  caCertFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
  /** What happened: nothing new, a new server certificate, or a new CA and server certificate. */
  created: 'none' | 'server' | 'ca+server';
  notAfter: Date;
}

export async function ensureDevCerts(options: DevCertOptions = {}): Promise<DevCerts> {
  const domain = (options.domain ?? process.env['EDD_DOMAIN'] ?? 'cloud.localhost').toLowerCase();
  const dir = resolve(options.dir ?? join(WORKSPACE_ROOT, '.certs', 'dev'));
  const minValidMs = (options.minValidDays ?? 30) * DAY_MS;
  const files = {
    caCertFile: join(dir, 'ca.crt'),
    caKeyFile: join(dir, 'ca.key'),
    certFile: join(dir, `${domain}.crt`),
    keyFile: join(dir, `${domain}.key`),
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });

  let created: DevCerts['created'] = 'none';
  let ca = await readUsableCert(files.caCertFile, files.caKeyFile, minValidMs);
  // A CA made before the name constraints (ten-year, unconstrained) is replaced, not kept until it expires.
  if (ca && !(await isConstrainedTo(files.caCertFile, domain))) ca = undefined;
  if (!ca) {
    await makeCa(domain, files.caCertFile, files.caKeyFile);
    ca = await loadCert(files.caCertFile);
    created = 'ca+server';
  }

  let leaf = await readUsableCert(files.certFile, files.keyFile, minValidMs);
  if (!leaf || !leaf.verify(ca.publicKey) || !coversDomain(leaf, domain)) {
    await makeServerCert(domain, files);
    leaf = await loadCert(files.certFile);
    if (created === 'none') created = 'server';
  }

  return { dir, domain, ...files, created, notAfter: new Date(leaf.validTo) };
}

/** The names a browser will ask for: the dashboard host and any service subdomain. */
function coversDomain(cert: X509Certificate, domain: string): boolean {
  return cert.checkHost(domain) !== undefined && cert.checkHost(`auth.${domain}`) !== undefined;
}

async function loadCert(file: string): Promise<X509Certificate> {
  return new X509Certificate(await readFile(file));
}

/** A certificate whose key file exists and that is valid for at least `minValidMs` more; else undefined. */
async function readUsableCert(certFile: string, keyFile: string, minValidMs: number): Promise<X509Certificate | undefined> {
  try {
    await readFile(keyFile);
    const cert = await loadCert(certFile);
    const notAfter = new Date(cert.validTo).getTime();
    return notAfter - Date.now() > minValidMs ? cert : undefined;
  } catch {
    return undefined;
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(domain: string, certFile: string, keyFile: string): Promise<void> {
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    ...EC_KEY,
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    String(CA_DAYS),
    '-sha256',
    '-subj',
    `/O=edd-cloud development/CN=edd-cloud dev CA (${domain})`,
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
    // RFC 5280 §4.2.1.10: whatever this key signs is valid only for the dev domain (and its subdomains) and the
    // loopback names, so a leaked dev CA cannot impersonate any other site to the browser that trusts it.
    '-addext',
    `nameConstraints=critical,${permittedNames(domain).join(',')}`,
  ]);
  await chmod(keyFile, 0o600);
}

function permittedNames(domain: string): string[] {
  return [
    `permitted;DNS:${domain}`,
    'permitted;DNS:localhost',
    'permitted;IP:127.0.0.0/255.0.0.0',
    'permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  ];
}

/** Does the CA carry the name constraints for `domain`? (Node's X509Certificate does not show extensions.) */
async function isConstrainedTo(caCertFile: string, domain: string): Promise<boolean> {
  const { stdout } = await run('openssl', ['x509', '-in', caCertFile, '-noout', '-ext', 'nameConstraints']);
  return stdout.includes(`DNS:${domain}`);
}

async function makeServerCert(
  domain: string,
  files: { caCertFile: string; caKeyFile: string; certFile: string; keyFile: string },
): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'edd-dev-tls-'));
  try {
    const csr = join(work, 'server.csr');
    const ext = join(work, 'server.ext');
    // RFC 6125 §6.4.3: a wildcard matches exactly one label, so the bare domain is listed too.
    const altNames = [`DNS:${domain}`, `DNS:*.${domain}`, 'DNS:localhost', 'IP:127.0.0.1', 'IP:::1'];
    await writeFile(
      ext,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${altNames.join(',')}`,
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
      ].join('\n') + '\n',
    );
    await run('openssl', ['req', '-new', ...EC_KEY, '-keyout', files.keyFile, '-out', csr, '-subj', `/CN=${domain}`]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      files.caCertFile,
      '-CAkey',
      files.caKeyFile,
      '-set_serial',
      `0x${randomSerial()}`,
      '-days',
      String(LEAF_DAYS),
      '-sha256',
      '-extfile',
      ext,
      '-out',
      files.certFile,
    ]);
    await chmod(files.keyFile, 0o600);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Positive 63-bit serial: unique enough that a re-issued certificate never collides in a browser cache. */
function randomSerial(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function main(): Promise<void> {
  const certs = await ensureDevCerts();
  const verb = certs.created === 'none' ? 'reused' : `created (${certs.created})`;
  console.log(`dev TLS for ${certs.domain} and *.${certs.domain}: ${verb}, valid until ${certs.notAfter.toISOString().slice(0, 10)}`);
  console.log(`  certificate  ${certs.certFile}`);
  console.log(`  key          ${certs.keyFile}`);
  console.log(`  CA           ${certs.caCertFile}   (trust this one in your browser, or: curl --cacert ${certs.caCertFile})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`dev-tls failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error('It needs the openssl command line tool (Debian/Ubuntu: apt-get install openssl; macOS: brew install openssl).');
    process.exit(1);
  });
}
