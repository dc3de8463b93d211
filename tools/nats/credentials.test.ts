import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateCredentials, randomPassword } from './credentials';
import { NATS_USERS } from './server-config';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('randomPassword', () => {
  it('always starts with a letter, so nats-server never reads it from the environment as a number', () => {
    for (let i = 0; i < 2_000; i += 1) expect(randomPassword()).toMatch(/^[A-Za-z][A-Za-z0-9_-]{31,}$/);
  });

  it('differs from call to call', () => {
    expect(new Set(Array.from({ length: 100 }, randomPassword)).size).toBe(100);
  });
});

describe('loadOrCreateCredentials', () => {
  it('keeps the saved passwords from one run to the next in a mode-600 file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edd-nats-credentials-'));
    dirs.push(dir);
    const first = loadOrCreateCredentials(dir);
    expect(Object.keys(first).sort()).toEqual([...NATS_USERS].sort());
    expect(loadOrCreateCredentials(dir)).toEqual(first);
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
  });
});
