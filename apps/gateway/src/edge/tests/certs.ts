import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCert {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

/** A throw-away CA and a leaf certificate for `names` signed by it (openssl CLI, EC P-256, 1 day). */
export async function makeCert(commonName: string, names: string[]): Promise<TestCert> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-certs-'));
  const p = (f: string) => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-days',
    '1',
    '-subj',
    `/CN=${commonName} test CA`,
  ]);
  await run('openssl', ['req', ...ec, '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', `/CN=${commonName}`]);
  writeFileSync(p('ext.cnf'), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n`);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('leaf.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('leaf.crt'),
    '-days',
    '1',
    '-extfile',
    p('ext.cnf'),
  ]);
  return { cert: readFileSync(p('leaf.crt')), key: readFileSync(p('leaf.key')), ca: readFileSync(p('ca.crt')) };
}
