import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTlsMaterial, resolveTlsPaths, watchTlsFiles } from './tls-files';
import type { TlsMaterial } from './tls-files';
import { memoryLogger, repeatUntil, waitUntil } from './testing';

function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

describe('TLS files', () => {
  let dir: string;
  let first: { cert: string; key: string };
  let second: { cert: string; key: string };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gw-tls-'));
    first = selfSigned(dir, 'first');
    second = selfSigned(dir, 'second');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the configured paths, relative to the workspace root', () => {
    expect(resolveTlsPaths({ GATEWAY_TLS_CERT: 'a.crt', GATEWAY_TLS_KEY: '/abs/a.key', EDD_DOMAIN: 'd' }, '/ws')).toEqual({
      cert: '/ws/a.crt',
      key: '/abs/a.key',
    });
    expect(() => resolveTlsPaths({ GATEWAY_TLS_CERT: 'a.crt', EDD_DOMAIN: 'd' }, '/ws')).toThrow(/set together/);
  });

  it('falls back to the dev certificate under .certs/dev when present, else no TLS', () => {
    const root = mkdtempSync(join(tmpdir(), 'gw-root-'));
    expect(resolveTlsPaths({ EDD_DOMAIN: 'cloud.localhost' }, root)).toBeUndefined();
    mkdirSync(join(root, '.certs', 'dev'), { recursive: true });
    copyFileSync(first.cert, join(root, '.certs', 'dev', 'cloud.localhost.crt'));
    copyFileSync(first.key, join(root, '.certs', 'dev', 'cloud.localhost.key'));
    expect(resolveTlsPaths({ EDD_DOMAIN: 'cloud.localhost' }, root)).toEqual({
      cert: join(root, '.certs', 'dev', 'cloud.localhost.crt'),
      key: join(root, '.certs', 'dev', 'cloud.localhost.key'),
    });
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a key that does not belong to the certificate', () => {
    expect(loadTlsMaterial(first).cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(() => loadTlsMaterial({ cert: first.cert, key: second.key })).toThrow();
  });

  it('applies a replaced pair once, and skips a mismatched pair', async () => {
    const live = { cert: join(dir, 'live.crt'), key: join(dir, 'live.key') };
    copyFileSync(first.cert, live.cert);
    copyFileSync(first.key, live.key);
    const applied: TlsMaterial[] = [];
    const logger = memoryLogger();
    const watch = watchTlsFiles(live, (m) => applied.push(m), { logger, intervalMs: 50, debounceMs: 100 });
    try {
      // A mismatched state (cert replaced, key not yet): logged, not applied. Repeated until seen: a change
      // before fs.watchFile's first (asynchronous) stat becomes its baseline.
      await repeatUntil(
        () => {
          copyFileSync(second.cert, join(dir, 'tmp.crt'));
          renameSync(join(dir, 'tmp.crt'), live.cert);
        },
        () => logger.lines.some((l) => String(l['msg']).includes('could not be loaded')),
      );
      expect(applied).toHaveLength(0);
      writeFileSync(live.key, loadTlsMaterial(second).key);
      await waitUntil(() => applied.length > 0, 3_000);
      expect(applied.at(-1)?.cert.toString()).toBe(loadTlsMaterial(second).cert.toString());
    } finally {
      watch.stop();
    }
  });
});
