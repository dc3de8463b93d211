import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { waitFor } from '@edd/events/testing';
import { bootServiceProcess, type BootedService } from '@edd/service-runtime/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, createNamespace, uniqueName } from './harness';

// The real entry in its own process, killed with SIGKILL while two uploads stream, then started again.
const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const MIB = 1024 * 1024;
const SWEEP_AFTER_MS = 1500;
const BOOT_TIMEOUT_MS = 150_000;

let db: TestDatabase;
let auth: FakeAuth;
let dir: string;
let env: Record<string, string>;
let service: BootedService | undefined;

beforeAll(async () => {
  db = await createTestDatabase('storage_kill9');
  auth = await startFakeAuth();
  dir = await mkdtemp(join(tmpdir(), 'storage-kill9-'));
  env = {
    NODE_ENV: 'test',
    DATABASE_NAME: db.database,
    AUTH_URL: auth.url,
    SERVICE_API_KEY: auth.serviceKey,
    STORAGE_BACKEND: 'fs',
    STORAGE_DIR: dir,
    STORAGE_SWEEP_AFTER_MS: String(SWEEP_AFTER_MS),
  };
});

afterAll(async () => {
  await service?.stop();
  await auth?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Bytes of the regular files directly in `folder` (none when it does not exist). */
async function filesIn(folder: string): Promise<Array<{ name: string; size: number }>> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const entries = await Promise.all(names.map(async (name) => ({ name, info: await stat(join(folder, name)).catch(() => undefined) })));
  return entries.filter((e) => e.info?.isFile()).map((e) => ({ name: e.name, size: e.info!.size }));
}

/**
 * Sends a request whose body announces `length` bytes but only ever delivers chunks of `data` slowly, until the
 * process at the other end dies. Errors (the connection reset by the kill) are expected and swallowed.
 */
function slowBody(url: string, method: string, headers: Record<string, string>, data: Buffer, length: number) {
  const req = request(url, { method, headers: { ...headers, 'content-length': String(length) } });
  req.on('error', () => undefined);
  req.on('response', (res) => res.resume());
  let sent = 0;
  const timer = setInterval(() => {
    if (req.destroyed || sent >= data.length) return;
    const chunk = data.subarray(sent, sent + 256 * 1024);
    sent += chunk.length;
    req.write(chunk);
  }, 20);
  return () => {
    clearInterval(timer);
    req.destroy();
  };
}

it(
  'leaves no file, no row and (after the sweep) no temporary data when killed mid-upload; the tus upload resumes',
  { timeout: 360_000 },
  async () => {
    service = await bootServiceProcess(ENTRY, env, BOOT_TIMEOUT_MS).catch((error: Error) => {
      throw new Error(`first start: ${error.message}`);
    });
    const who = { userId: `killed${randomBytes(3).toString('hex')}`, username: 'killed' };
    const { token } = await auth.issueSession(who);
    const ns = uniqueName();
    await createNamespace(service.baseUrl, token, ns);

    // A raw upload announcing 64 MiB, and a tus upload of 8 MiB whose PATCH announces all of it: both stream slowly.
    const raw = randomBytes(16 * MIB);
    const stopRaw = slowBody(
      `${service.baseUrl}/storage/${ns}/raw.bin`,
      'POST',
      { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      raw,
      64 * MIB,
    );
    const tusData = randomBytes(8 * MIB);
    const created = await call(service.baseUrl, 'POST', '/storage/uploads', {
      token,
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(tusData.length),
        'upload-metadata': `namespace ${Buffer.from(ns).toString('base64')},path ${Buffer.from('tus.bin').toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const uploadPath = created.headers.get('location')!;
    const uploadId = uploadPath.split('/').pop()!;
    const stopTus = slowBody(
      `${service.baseUrl}${uploadPath}`,
      'PATCH',
      {
        authorization: `Bearer ${token}`,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      tusData.subarray(0, 4 * MIB),
      tusData.length,
    );

    // Kill once both have bytes on disk: the raw one in `incomplete/`, the tus one in its part.
    const incomplete = join(dir, 'incomplete');
    const tusPart = join(dir, '.tus', uploadId);
    await waitFor(async () => {
      const temporary = await filesIn(incomplete);
      const part = await stat(tusPart).catch(() => undefined);
      return temporary.some((f) => f.size >= MIB) && (part?.size ?? 0) >= MIB;
    }, 30_000);
    await service.kill('SIGKILL');
    stopRaw();
    stopTus();
    service = undefined;

    // What the killed process left: a temporary file (no object), and the tus part.
    const leftover = await filesIn(incomplete);
    expect(leftover.length).toBeGreaterThanOrEqual(1);
    expect(await filesIn(join(dir, 'objects', ns))).toEqual([]);
    const partSize = (await stat(tusPart)).size;
    expect(partSize).toBeGreaterThanOrEqual(MIB);
    expect(partSize).toBeLessThan(tusData.length);

    // Generous: CI runs this beside the gateway's SSH suite on two cores, and a cold tsx start has been seen to crawl.
    service = await bootServiceProcess(ENTRY, env, BOOT_TIMEOUT_MS).catch((error: Error) => {
      throw new Error(`restart after the kill: ${error.message}`);
    });
    const base = service.baseUrl;
    // Nothing visible, no row, no event.
    const list = await call<{ files: unknown[] }>(base, 'GET', `/storage/files?namespace=${ns}`, { token });
    expect(list.status).toBe(200);
    expect(list.body.files).toEqual([]);
    expect((await call(base, 'GET', `/storage/${ns}/raw.bin`, { token })).status).toBe(404);
    expect((await call(base, 'GET', `/storage/${ns}/tus.bin`, { token })).status).toBe(404);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      expect((await client.query('SELECT path FROM files')).rows).toEqual([]);
      expect((await client.query("SELECT type FROM event_outbox WHERE type = 'storage.file.uploaded'")).rows).toEqual([]);
    } finally {
      await client.end();
    }
    // The sweep (at start, then every STORAGE_SWEEP_AFTER_MS) removes temporary data once it is that old.
    await waitFor(async () => (await filesIn(incomplete)).length === 0, 20_000);

    // The tus part survived the kill: HEAD gives what is on disk, a PATCH of the rest finishes it.
    const tus = { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' };
    const head = await call(base, 'HEAD', uploadPath, { token, headers: tus });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(partSize));
    const rest = await call(base, 'PATCH', uploadPath, {
      token,
      raw: tusData.subarray(partSize),
      headers: { ...tus, 'upload-offset': String(partSize), 'content-type': 'application/offset+octet-stream' },
    });
    expect(rest.status).toBe(204);
    const after = await call<{ files: Array<Record<string, unknown>> }>(base, 'GET', `/storage/files?namespace=${ns}`, { token });
    expect(after.body.files).toEqual([
      expect.objectContaining({ path: 'tus.bin', size: tusData.length, sha256: createHash('sha256').update(tusData).digest('hex') }),
    ]);
  },
);
