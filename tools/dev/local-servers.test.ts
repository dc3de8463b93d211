import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPrivateLog } from './local-servers';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dev-logs-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('openPrivateLog', () => {
  it('creates .data/logs files only their owner can read', async () => {
    const file = join(root, 'fresh', 'logs', 'nats.log');
    const log = openPrivateLog(file);
    await new Promise<void>((resolve) => log.end('listening\n', resolve));
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(join(root, 'fresh', 'logs'))).toBe(0o700);
  });

  it('narrows a world-readable log an older run left behind', async () => {
    const dir = join(root, 'old', 'logs');
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await writeFile(join(dir, 'redis.log'), 'old\n', { mode: 0o644 });
    const log = openPrivateLog(join(dir, 'redis.log'));
    await new Promise<void>((resolve) => log.end('new\n', resolve));
    expect(await modeOf(join(dir, 'redis.log'))).toBe(0o600);
    expect(await modeOf(dir)).toBe(0o700);
  });
});
