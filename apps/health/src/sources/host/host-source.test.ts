import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchContainerUsage } from './compute-containers';
import { createHostSource } from './host-source';
import { busyShare, parseCpuCount, parseCpuTimes, parseMemInfo, parseNetDev } from './proc-files';

const STAT = `cpu  4705 150 1120 16250 520 0 36 0 0 0
cpu0 2300 70 560 8120 260 0 20 0 0 0
cpu1 2405 80 560 8130 260 0 16 0 0 0
intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]
ctxt 1990473
`;
const MEMINFO = `MemTotal:       16283800 kB
MemFree:         1234567 kB
MemAvailable:    9765432 kB
Buffers:          204800 kB
Cached:          4096000 kB
`;
const NETDEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 9999999   1000    0    0    0     0          0         0  9999999    1000    0    0    0     0       0          0
  eth0: 1500      10    0    0    0     0          0         0     2500      20    0    0    0     0       0          0
  eth1:  500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
`;

describe('proc parsers', () => {
  it('reads CPU times, counting iowait as idle, and the CPU count', () => {
    expect(parseCpuTimes(STAT)).toEqual({ busy: 4705 + 150 + 1120 + 36, total: 4705 + 150 + 1120 + 16250 + 520 + 36 });
    expect(parseCpuCount(STAT)).toBe(2);
  });

  it('computes the busy share between two readings, 0 when no time passed', () => {
    expect(busyShare({ busy: 100, total: 1000 }, { busy: 175, total: 1100 })).toBe(0.75);
    expect(busyShare({ busy: 100, total: 1000 }, { busy: 100, total: 1000 })).toBe(0);
  });

  it('counts used memory as total minus available (caches are not used)', () => {
    expect(parseMemInfo(MEMINFO)).toEqual({ totalBytes: 16283800 * 1024, usedBytes: (16283800 - 9765432) * 1024 });
  });

  it('adds every interface but loopback', () => {
    expect(parseNetDev(NETDEV)).toEqual({ rxBytes: 2000, txBytes: 3000 });
  });

  it('refuses a stat without a cpu line', () => {
    expect(() => parseCpuTimes('intr 1 2 3')).toThrow(/no cpu line/);
  });
});

describe('host source', () => {
  it('reports this machine from the real /proc: capacity, memory and disk in range, CPU measured between samples', async () => {
    const source = createHostSource({ nodeName: 'this-machine' });
    const first = await source.collect();
    // Some work so the next reading has CPU time to measure.
    const until = Date.now() + 50;
    while (Date.now() < until) Math.sqrt(Math.random());
    const second = await source.collect();
    const [node] = second.nodes;
    expect(second.nodes).toHaveLength(1);
    expect(node?.name).toBe('this-machine');
    expect(node?.cpuCapacityCores).toBeGreaterThanOrEqual(1);
    expect(node?.cpuUsedCores).toBeGreaterThan(0);
    expect(node?.cpuUsedCores).toBeLessThanOrEqual(node?.cpuCapacityCores ?? 0);
    expect(node?.memoryUsedBytes).toBeGreaterThan(0);
    expect(node?.memoryUsedBytes).toBeLessThan(node?.memoryCapacityBytes ?? 0);
    expect(node?.diskUsedBytes).toBeGreaterThan(0);
    expect(node?.diskUsedBytes).toBeLessThanOrEqual(node?.diskCapacityBytes ?? 0);
    expect(second.collectedAt.getTime()).toBeGreaterThanOrEqual(first.collectedAt.getTime());
    expect(second.pods).toEqual([]);
  });

  it('measures rates against the previous reading of a recorded /proc', async () => {
    const proc = await mkdtemp(join(tmpdir(), 'health-proc-'));
    await mkdir(join(proc, 'net'));
    await writeFile(join(proc, 'meminfo'), MEMINFO);
    await writeFile(join(proc, 'loadavg'), '0.52 0.40 0.31 2/345 6789\n');
    await writeFile(join(proc, 'stat'), STAT);
    await writeFile(join(proc, 'net/dev'), NETDEV);
    const source = createHostSource({ nodeName: 'n', procRoot: proc, diskPath: proc });
    await source.collect();
    // Both CPUs fully busy since, 1 MB more received.
    await writeFile(join(proc, 'stat'), STAT.replace('cpu  4705', 'cpu  5705'));
    await writeFile(join(proc, 'net/dev'), NETDEV.replace('eth0: 1500', 'eth0: 1001500'));
    const snapshot = await source.collect();
    expect(snapshot.nodes[0]).toMatchObject({ cpuUsedCores: 2, cpuCapacityCores: 2, load1: 0.52, networkTxBytesPerSec: 0 });
    expect(snapshot.nodes[0]?.networkRxBytesPerSec).toBeGreaterThan(0);
  });

  it('lists compute’s containers as pods of this node, by owner, from compute’s internal API', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers['x-service-key']));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          containers: [
            {
              container_id: 'abcd1234',
              owner_id: 'Owner1',
              name: 'web',
              status: 'running',
              restarts: 2,
              cpu_millis: 500,
              memory_mb: 512,
              storage_gb: 1,
              memory_used_bytes: 1048576,
              storage_used_bytes: 4096,
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const source = createHostSource({ nodeName: 'n', containers: () => fetchContainerUsage({ computeUrl: url, serviceKey: 'k' }) });
      const snapshot = await source.collect();
      expect(seen).toEqual(['k']);
      expect(snapshot.pods).toEqual([
        expect.objectContaining({
          namespace: 'compute-abcd1234',
          name: 'web',
          node: 'n',
          ownerId: 'Owner1',
          restarts: 2,
          memoryUsedBytes: 1048576,
          memoryCapacityBytes: 512 * 1024 * 1024,
          cpuCapacityNanocores: 500_000_000,
        }),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("turns compute's cumulative CPU time per container into a rate between samples (0 on first sight and after a restart)", async () => {
    // Each answer: the CPU seconds compute reports for the one container, in turn.
    const reported = [100, 100.5, 101.5, 2];
    let calls = 0;
    const server = createServer((_req, res) => {
      const cpu = reported[Math.min(calls++, reported.length - 1)];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          containers: [
            {
              container_id: 'cpu12345',
              owner_id: 'o',
              name: 'busy',
              status: 'running',
              restarts: 0,
              cpu_millis: 1000,
              memory_mb: 256,
              storage_gb: 1,
              cpu_used_seconds: cpu,
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const source = createHostSource({ nodeName: 'n', containers: () => fetchContainerUsage({ computeUrl: url, serviceKey: 'k' }) });
      const cpuOf = async () => (await source.collect()).pods[0]?.cpuUsedNanocores;
      expect(await cpuOf()).toBe(0);
      // 0.5 then 1 CPU second over the time between samples: positive, at most that over 1 ms (the floor).
      for (let interval = 0; interval < 2; interval++) {
        const nanocores = await cpuOf();
        expect(nanocores).toBeGreaterThan(0);
        expect(nanocores).toBeLessThanOrEqual(1e12);
      }
      // The container restarted (its counter began again): no rate for this interval.
      expect(await cpuOf()).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps sampling the node when compute does not answer', async () => {
    const source = createHostSource({
      nodeName: 'n',
      containers: () => fetchContainerUsage({ computeUrl: 'http://127.0.0.1:9', serviceKey: 'k' }),
    });
    const snapshot = await source.collect();
    expect(snapshot.nodes).toHaveLength(1);
    expect(snapshot.pods).toEqual([]);
  });
});
