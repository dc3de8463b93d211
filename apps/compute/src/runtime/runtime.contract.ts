import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime, ContainerSpec, RuntimeState } from './container-runtime';
import { eventually, httpGet, sshExec, type SshTarget } from './contract-ssh';
import { generateEd25519Pair } from '@edd/ssh-keys';

/** What a driver's test file hands the contract: the runtime plus the few things only the driver can do or see. */
export interface RuntimeHarness {
  runtime: ContainerRuntime;
  /** Kills the container's main process from outside, as a crash would. */
  killMainProcess(id: string): Promise<void>;
  /** What is left of a removed container (namespaces, links, directories, objects), empty when nothing is. */
  leftovers(id: string): Promise<string[]>;
  /** Whether usage() reports memory here (false when the driver runs without a memory accounting). */
  reportsMemory: boolean;
  cleanup(): Promise<void>;
}

function newId(): string {
  return randomBytes(6)
    .toString('hex')
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 8)
    .padEnd(8, 'x');
}

function keyPair(): { privateKey: string; publicKey: string } {
  return generateEd25519Pair();
}

function specFor(id: string, hostKey: { privateKey: string; publicKey: string }, keys: string[]): ContainerSpec {
  return {
    id,
    ownerId: 'contract-owner',
    image: 'debian:bookworm',
    pullPolicy: 'IfNotPresent',
    cpuMillis: 500,
    memoryMb: 256,
    storageGb: 1,
    mountPaths: ['/data'],
    sshEnabled: true,
    hostKey,
    authorizedKeys: keys,
    ingressPorts: [8080],
  };
}

async function waitForPhase(runtime: ContainerRuntime, id: string, phase: RuntimeState['phase'], timeoutMs: number) {
  return eventually(async () => {
    const state = await runtime.inspect(id);
    if (state.phase !== phase) throw new Error(`${id} is ${state.phase} (${state.message ?? ''}), not ${phase}`);
    return state;
  }, timeoutMs);
}

/** The black-box behaviour every ContainerRuntime driver must show; call once per driver from its own test file. */
export function describeContainerRuntime(name: string, makeHarness: () => Promise<RuntimeHarness>): void {
  describe(`ContainerRuntime contract: ${name}`, () => {
    let harness: RuntimeHarness;
    let runtime: ContainerRuntime;
    const id = newId();
    const hostKey = keyPair();
    const firstKey = keyPair();
    const secondKey = keyPair();
    const spec = specFor(id, hostKey, [firstKey.publicKey]);
    let address = '';
    const as = (key: { privateKey: string }): SshTarget => ({
      address,
      hostPublicKey: hostKey.publicKey,
      privateKey: key.privateKey,
    });

    beforeAll(async () => {
      harness = await makeHarness();
      runtime = harness.runtime;
    });
    afterAll(async () => {
      await runtime?.remove(id).catch(() => undefined);
      await harness?.cleanup();
    });

    it('apply runs the container with an address, and inspect and list agree', async () => {
      await runtime.apply(spec);
      const state = await waitForPhase(runtime, id, 'running', 20_000);
      expect(state.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      address = state.address ?? '';
      expect((await runtime.list()).map((entry) => entry.id)).toContain(id);
    });

    it('answers SSH with its own host key, as root with an authorized key, in its own hostname and PID namespace', async () => {
      const result = await sshExec(as(firstKey), "hostname; ls /proc | grep -c '^[0-9]'; id -u");
      const [hostname, processCount, uid] = result.stdout.trim().split('\n');
      expect(hostname).toBe(id);
      expect(Number(processCount)).toBeLessThan(15);
      expect(uid).toBe('0');
      const wrongHost = { ...as(firstKey), hostPublicKey: keyPair().publicKey };
      await expect(sshExec(wrongHost, 'true')).rejects.toThrow();
    });

    it('keeps a mount path across stop and start', async () => {
      const written = await sshExec(as(firstKey), 'head -c 65536 /dev/zero > /data/blob && echo kept > /data/note');
      expect(written.code).toBe(0);
      expect((await runtime.stop(id)).phase).toBe('stopped');
      expect((await runtime.inspect(id)).phase).toBe('stopped');
      await runtime.apply(spec);
      const state = await waitForPhase(runtime, id, 'running', 20_000);
      expect(state.address).toBe(address);
      const read = await eventually(() => sshExec(as(firstKey), 'cat /data/note'), 10_000);
      expect(read.stdout.trim()).toBe('kept');
    });

    it('setAuthorizedKeys lets the new key in within 5 s and shuts the removed one out', async () => {
      await runtime.setAuthorizedKeys(id, [secondKey.publicKey]);
      // What the reconciler does too: the desired spec carries the new keys into later applies.
      spec.authorizedKeys = [secondKey.publicKey];
      const result = await eventually(() => sshExec(as(secondKey), 'echo in'), 5_000);
      expect(result.stdout.trim()).toBe('in');
      await expect(sshExec(as(firstKey), 'true')).rejects.toThrow(/authentication/i);
    });

    it('serves a port opened inside the container to the host', async () => {
      const started = await sshExec(
        as(secondKey),
        'cd /data; nohup setsid python3 -m http.server 8080 >/dev/null 2>&1 < /dev/null & echo started',
      );
      expect(started.stdout).toContain('started');
      const response = await eventually(() => httpGet(address, 8080, '/note'), 10_000);
      expect(response).toEqual({ status: 200, body: 'kept\n' });
    });

    it('reports usage in bytes', async () => {
      const usage = await runtime.usage(id);
      expect(usage.storageBytes).toBeGreaterThanOrEqual(65_536);
      if (harness.reportsMemory) expect(usage.memoryBytes).toBeGreaterThan(1024 * 1024);
    });

    it('logs show sshd, history and then followed lines', async () => {
      const history: string[] = [];
      for await (const line of runtime.logs(id, { tail: 200, follow: false, signal: new AbortController().signal })) {
        history.push(line);
      }
      expect(history.some((line) => /Accepted publickey for root/.test(line))).toBe(true);

      const controller = new AbortController();
      const followed = (async () => {
        for await (const line of runtime.logs(id, { tail: 0, follow: true, signal: controller.signal })) {
          if (/Accepted publickey/.test(line)) return line;
        }
        return undefined;
      })();
      await sshExec(as(secondKey), 'true');
      const timeout = setTimeout(() => controller.abort(), 10_000);
      expect(await followed).toMatch(/Accepted publickey for root/);
      controller.abort();
      clearTimeout(timeout);
    });

    it('watch reports a killed main process as failed, and apply restarts it counting the restart', async () => {
      const before = (await runtime.inspect(id)).restarts;
      const seen: RuntimeState[] = [];
      const unwatch = runtime.watch((state) => seen.push(state));
      try {
        await harness.killMainProcess(id);
        const failed = await eventually(
          async () => {
            const match = seen.find((state) => state.id === id && state.phase === 'failed');
            if (!match) throw new Error(`no failed state yet: ${JSON.stringify(seen)}`);
            return match;
          },
          3_000,
          50,
        );
        expect(failed.message).toBeTruthy();
      } finally {
        unwatch();
      }
      await runtime.apply(spec);
      const state = await waitForPhase(runtime, id, 'running', 20_000);
      expect(state.restarts).toBe(before + 1);
      const read = await eventually(() => sshExec(as(secondKey), 'cat /data/note'), 10_000);
      expect(read.stdout.trim()).toBe('kept');
    });

    it('gives two containers different addresses and hides their processes from each other', async () => {
      const otherId = newId();
      const otherHostKey = keyPair();
      try {
        await runtime.apply(specFor(otherId, otherHostKey, [secondKey.publicKey]));
        const other = await waitForPhase(runtime, otherId, 'running', 20_000);
        expect(other.address).toBeTruthy();
        expect(other.address).not.toBe(address);
        const seconds = 1000 + Math.floor(Math.random() * 8000);
        const marker = `sleep ${seconds}`;
        await sshExec(as(secondKey), `nohup setsid ${marker} >/dev/null 2>&1 < /dev/null & echo ok`);
        const otherTarget = { address: other.address ?? '', hostPublicKey: otherHostKey.publicKey, privateKey: secondKey.privateKey };
        const look = `cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -c '[s]leep ${seconds}' || true`;
        expect((await sshExec(otherTarget, look)).stdout.trim()).toBe('0');
        // The same check sees it where it runs, so a '0' above means hidden, not a broken command.
        expect(Number((await sshExec(as(secondKey), look)).stdout.trim())).toBeGreaterThan(0);
        expect((await sshExec(otherTarget, 'hostname')).stdout.trim()).toBe(otherId);
      } finally {
        await runtime.remove(otherId);
      }
    });

    it('remove leaves nothing behind and inspect says absent', async () => {
      await runtime.remove(id);
      expect((await runtime.inspect(id)).phase).toBe('absent');
      expect((await runtime.list()).map((entry) => entry.id)).not.toContain(id);
      expect(await harness.leftovers(id)).toEqual([]);
      await runtime.remove(id);
    });
  });
}
