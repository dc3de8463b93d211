// Helpers for the control plane's tests (imported by *.test.ts only).
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@edd/db';
import type { Database } from '@edd/db';
import { createTestDatabase } from '@edd/db/testing';
import { createLogger } from '@edd/logger';
import type { Logger } from '@edd/logger';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** A logger that keeps its lines in memory (and prints nothing). */
export function memoryLogger(): Logger & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return Object.assign(createLogger({ service: 'gateway-test', level: 'debug', stream }), { lines });
}

/** A fresh, migrated gateway database; `cleanup` closes every handle opened through `open` and drops it. */
export async function migratedTestDatabase(prefix: string): Promise<{
  db: Database;
  url: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}> {
  const test = await createTestDatabase(prefix);
  const handles: Database[] = [];
  const open = async () => {
    const handle = await openDatabase({ serverUrl: test.serverUrl, database: test.database, migrationsDir: MIGRATIONS_DIR });
    handles.push(handle);
    return handle;
  };
  const db = await open();
  return {
    db,
    url: test.url,
    open,
    async cleanup() {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
      await test.drop();
    },
  };
}

export { repeatUntil, waitUntil } from '../wait-until';
