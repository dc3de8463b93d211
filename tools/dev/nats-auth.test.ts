import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateNats, type PrivateNatsServer } from '../nats/private-server';
import { applyNatsAuth, prepareNatsAuth } from './nats-auth';

let server: PrivateNatsServer;
const root = mkdtempSync(join(tmpdir(), 'edd-nats-auth-'));

beforeAll(async () => {
  server = await startPrivateNats();
});

afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('npm start: NATS users', () => {
  it('keeps the passwords and the config private and the same from one start to the next', () => {
    const dataRoot = join(root, '.data');
    const first = prepareNatsAuth(dataRoot);
    const second = prepareNatsAuth(dataRoot);
    expect(second.credentials).toEqual(first.credentials);
    expect(new Set(Object.values(first.credentials)).size).toBe(Object.keys(first.credentials).length);
    for (const file of [first.configFile, join(dataRoot, 'nats', 'credentials.json')]) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.configFile, 'utf8')).toContain(`{ user: "storage", password: "${first.credentials.storage}",`);
  });

  it('on a server it started: makes the streams as admin and gives each app that uses the bus its own user', async () => {
    const said: string[] = [];
    const perApp = await applyNatsAuth({
      nats: { name: 'NATS', envVar: 'NATS_URL', url: server.url, source: 'started', detail: '' },
      auth: { configFile: 'unused', credentials: server.credentials },
      apps: ['auth', 'storage', 'docs'],
      say: (m) => said.push(m),
      warn: (m) => said.push(`warn: ${m}`),
    });
    expect(perApp).toEqual({
      auth: { NATS_USER: 'auth', NATS_PASSWORD: server.credentials.auth },
      storage: { NATS_USER: 'storage', NATS_PASSWORD: server.credentials.storage },
      // docs does not use the bus
    });
    expect(said.filter((m) => m.startsWith('warn'))).toEqual([]);
  });

  it('warns in one line when the NATS it found lets anyone in, and not when it asks for credentials', async () => {
    const warnings: string[] = [];
    const options = { auth: prepareNatsAuth(join(root, '.data')), apps: [], say: () => undefined };
    const anonymous = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222'; // the shared test server is open
    await applyNatsAuth({
      ...options,
      nats: { name: 'NATS', envVar: 'NATS_URL', url: anonymous, source: 'local', detail: '' },
      warn: (m) => warnings.push(m),
    });
    await applyNatsAuth({
      ...options,
      nats: { name: 'NATS', envVar: 'NATS_URL', url: server.url, source: 'env', detail: '' },
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([`NATS at ${anonymous} accepts anonymous clients: publish permissions are not enforced on that server`]);
  });
});
