import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

const GIB = 1024 * 1024 * 1024;
const CHUNK = Buffer.alloc(256 * 1024, 0x61);

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Minor page faults of a process so far (/proc/<pid>/stat field 10). */
function minorFaults(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}

/**
 * A fresh page for every chunk read costs ~256 faults per MiB (4 KiB pages) and was the gateway's bottleneck
 * (see malloc-trim.ts); with the heap kept, a relayed MiB costs ~5-20. Counted, not timed: stable under load.
 */
const MAX_FAULTS_PER_MIB = 64;

function* gibibyte(): Generator<Buffer> {
  for (let sent = 0; sent < GIB; sent += CHUNK.length) yield CHUNK;
}

describe('edge streaming with bounded memory (gateway in a child process)', () => {
  let up: Upstream;
  let child: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.method === 'GET') {
        res.setHeader('content-length', String(GIB));
        pipeline(Readable.from(gibibyte()), res).catch(() => undefined);
        return;
      }
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(String(n)));
    });
    child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/edge-child.ts', import.meta.url))], {
      env: { ...process.env, EDGE_CHILD_UPSTREAM: up.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /ready (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`edge child exited ${code}`)));
    });
  });
  afterAll(async () => {
    child.kill('SIGTERM');
    await up.close();
  });

  it('streams a 1 GiB upload through the gateway with its memory bounded', async () => {
    const pid = child.pid as number;
    const baseline = rssBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
    const faultsBefore = minorFaults(pid);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: '/upload',
          headers: { host: 'big.cloud.localhost', 'content-length': String(GIB) },
          agent: false,
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      pipeline(Readable.from(gibibyte()), req).catch(reject);
    });
    clearInterval(sampler);
    expect(body).toBe(String(GIB));
    expect(peak - baseline).toBeLessThan(200 * 1024 * 1024);
    expect((minorFaults(pid) - faultsBefore) / 1024).toBeLessThan(MAX_FAULTS_PER_MIB);
  }, 120_000);

  it('streams a 1 GiB download to a slow-ish reader with its memory bounded', async () => {
    const pid = child.pid as number;
    const baseline = rssBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
    const faultsBefore = minorFaults(pid);
    const received = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/download', headers: { host: 'big.cloud.localhost' }, agent: false }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          // Stall now and then so the gateway has to hold the upstream back instead of buffering.
          if (n % (64 * 1024 * 1024) < c.length) {
            res.pause();
            setTimeout(() => res.resume(), 100);
          }
        });
        res.on('end', () => resolve(n));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    clearInterval(sampler);
    expect(received).toBe(GIB);
    expect(peak - baseline).toBeLessThan(200 * 1024 * 1024);
    expect((minorFaults(pid) - faultsBefore) / 1024).toBeLessThan(MAX_FAULTS_PER_MIB);
  }, 120_000);
});
