import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Route } from '@edd/route-registry';
import { watchRoutesFile } from './routes-file';
import { memoryLogger, repeatUntil, waitUntil } from './testing';

const file = (target: string) => `routes:\n  - host: a.\${EDD_DOMAIN}\n    path: /\n    target: ${target}\n`;

describe('watchRoutesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-routes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands a changed, valid file to apply and ignores an invalid one', async () => {
    const path = join(dir, 'routes.yaml');
    writeFileSync(path, file('http://127.0.0.1:1'));
    const applied: Route[][] = [];
    const logger = memoryLogger();
    const watch = watchRoutesFile(path, 'd.test', async (routes) => applied.push(routes), { logger, intervalMs: 50, debounceMs: 50 });
    try {
      // Repeated until seen: a change before fs.watchFile's first (asynchronous) stat becomes its baseline.
      await repeatUntil(
        () => writeFileSync(path, file('ftp://nope')),
        () => logger.lines.some((l) => String(l['msg']).includes('invalid')),
      );
      expect(applied).toHaveLength(0);
      writeFileSync(path, file('http://127.0.0.1:2'));
      await waitUntil(() => applied.length === 1, 3_000);
      expect(applied[0]).toEqual([{ host: 'a.d.test', pathPrefix: '/', target: 'http://127.0.0.1:2', stripPrefix: false, priority: 0 }]);
    } finally {
      watch.stop();
    }
  });
});
