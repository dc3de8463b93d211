import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime, ContainerSpec, RuntimeState } from '../container-runtime';
import { eventually, sshExec } from '../contract-ssh';
import { sandboxAvailability } from './availability';
import { createSandboxRuntime } from './index';
import type { StoredSandbox } from './state-store';
import { sandboxTestNetwork } from './testing';
import { generateEd25519Pair } from '@edd/ssh-keys';

const availability = await sandboxAvailability();
const title = availability.available ? 'sandbox runtime' : `sandbox runtime (skipped: ${availability.reason})`;

const hostKeyPair = generateEd25519Pair();
const userKeyPair = generateEd25519Pair();
// In ssh2's own shape, which these tests were written against.
const hostKey = { private: hostKeyPair.privateKey, public: hostKeyPair.publicKey };
const userKey = { private: userKeyPair.privateKey, public: userKeyPair.publicKey };

function spec(id: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    id,
    ownerId: 'owner',
    image: 'ignored-by-sandbox',
    pullPolicy: 'IfNotPresent',
    cpuMillis: 250,
    memoryMb: 128,
    storageGb: 1,
    mountPaths: ['/data'],
    sshEnabled: true,
    hostKey: { privateKey: hostKey.private, publicKey: hostKey.public },
    authorizedKeys: [userKey.public],
    ingressPorts: [],
    ...overrides,
  };
}

describe.skipIf(!availability.available)(title, () => {
  let network: Awaited<ReturnType<typeof sandboxTestNetwork>>;
  let runtime: ContainerRuntime;
  const ids = ['adopt001', 'peera002', 'peerb003', 'cpu00004'];

  beforeAll(async () => {
    network = await sandboxTestNetwork();
    runtime = createSandboxRuntime({ dataDir: network.dataDir, subnet: network.subnet, bridge: network.bridge });
  });
  afterAll(async () => {
    for (const id of ids) await runtime?.remove(id).catch(() => undefined);
    await runtime?.close();
    await network?.cleanup();
  });

  const stored = async (id: string) => JSON.parse(await readFile(join(network.dataDir, id, 'state.json'), 'utf8')) as StoredSandbox;

  it('says it is available as root with bwrap, sshd and ip', async () => {
    expect(await runtime.availability()).toEqual({ available: true });
  });

  it('refuses a bad spec before creating anything', async () => {
    await expect(runtime.apply(spec('bad00001', { authorizedKeys: ['nonsense'] }))).rejects.toThrow(/authorized key 1/);
    await expect(runtime.apply(spec('bad00002', { mountPaths: ['/etc/ssh'] }))).rejects.toThrow(/inside \/etc/);
    await expect(runtime.apply(spec('Bad/../x'))).rejects.toThrow(/container id/);
    expect((await runtime.inspect('bad00001')).phase).toBe('absent');
    expect(await runtime.list()).toEqual([]);
  });

  it('a new compute adopts a running sandbox: same process, same address, and still notices its death', async () => {
    const first = await runtime.apply(spec('adopt001'));
    expect(first.phase).toBe('running');
    const { pid } = (await stored('adopt001')).process!;
    await runtime.close();

    runtime = createSandboxRuntime({
      dataDir: network.dataDir,
      subnet: network.subnet,
      bridge: network.bridge,
      pollIntervalMs: 200,
    });
    const adopted = await runtime.inspect('adopt001');
    expect(adopted).toMatchObject({ phase: 'running', address: first.address, restarts: 0 });
    expect((await runtime.apply(spec('adopt001'))).phase).toBe('running');
    expect((await stored('adopt001')).process!.pid).toBe(pid);
    const target = { address: first.address!, hostPublicKey: hostKey.public, privateKey: userKey.private };
    expect((await sshExec(target, 'hostname')).stdout.trim()).toBe('adopt001');

    const seen: RuntimeState[] = [];
    const unwatch = runtime.watch((state) => seen.push(state));
    process.kill(pid, 'SIGKILL');
    await eventually(async () => expect(seen.map((state) => state.phase)).toContain('failed'), 2_000, 50);
    unwatch();
  });

  it('sets the memory and process limits and changes the memory of a running sandbox', async () => {
    await runtime.apply(spec('adopt001', { memoryMb: 192 }));
    const { limits } = await stored('adopt001');
    const memoryFile = limits.mode === 'cgroup2' ? 'memory.max' : 'memory.limit_in_bytes';
    if (limits.mode === 'prlimit') {
      expect(limits.prlimit).toEqual([`--data=${192 * 1024 * 1024}`]);
      return;
    }
    const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8').then((text) => text.trim());
    expect(await read(limits.cgroupDirs[0]!, memoryFile)).toBe(String(192 * 1024 * 1024));
    // v2: one directory; v1: memory, pids (then cpuacct, which only measures).
    expect(await read(limits.cgroupDirs[limits.mode === 'cgroup2' ? 0 : 1]!, 'pids.max')).toBe('1024');
    await runtime.apply(spec('adopt001', { memoryMb: 256 }));
    expect(await read(limits.cgroupDirs[0]!, memoryFile)).toBe(String(256 * 1024 * 1024));
  });

  it('reports the CPU time the sandbox used (cgroup accounting), growing as it works', async () => {
    const state = await runtime.apply(spec('cpu00004'));
    const { limits } = await stored('cpu00004');
    const before = (await runtime.usage('cpu00004')).cpuSeconds;
    if (limits.mode === 'prlimit' || (limits.mode === 'cgroup1' && limits.cgroupDirs.length < 3)) {
      expect(before).toBeUndefined();
      return;
    }
    const target = { address: state.address!, hostPublicKey: hostKey.public, privateKey: userKey.private };
    // Half a second of busy loop inside the sandbox.
    await sshExec(target, 'end=$(( $(date +%s%N) + 500000000 )); while [ $(date +%s%N) -lt $end ]; do :; done');
    const after = (await runtime.usage('cpu00004')).cpuSeconds;
    expect(before).toBeGreaterThanOrEqual(0);
    expect(after).toBeGreaterThan((before ?? 0) + 0.1);
  });

  it('sandboxes reach the host but not each other', async () => {
    const [a, b] = await Promise.all([runtime.apply(spec('peera002')), runtime.apply(spec('peerb003'))]);
    expect(a.address).not.toBe(b.address);
    const target = { address: a.address!, hostPublicKey: hostKey.public, privateKey: userKey.private };
    const probe = (address: string) => `timeout 2 bash -c 'exec 3<>/dev/tcp/${address}/22' 2>/dev/null && echo open || echo closed`;
    expect((await sshExec(target, probe(b.address!))).stdout.trim()).toBe('closed');
    // The same probe reaches a listener on the host's end of the bridge, so 'closed' above is the isolation.
    const gateway = network.subnet.replace(/\.0\/24$/, '.1');
    const listener = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener.listen(0, gateway, resolve));
    try {
      const { port } = listener.address() as AddressInfo;
      const hostProbe = probe(gateway).replace('/22', `/${port}`);
      expect((await sshExec(target, hostProbe)).stdout.trim()).toBe('open');
    } finally {
      listener.close();
    }
    expect((await sshExec(target, 'ip route')).stdout).not.toMatch(/default/);
  });
});
