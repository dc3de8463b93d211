import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from '@edd/logger';
import type { ContainerRuntime, ContainerSpec, LogOptions, RuntimePhase, RuntimeState, RuntimeUsage } from '../container-runtime';
import { allocateAddress, parseSubnet, subnetContains } from './address-allocator';
import { sandboxAvailability } from './availability';
import { buildLaunchCommand, DEFAULT_ETC_ENTRIES } from './bwrap-command';
import { containerPaths, normaliseMountPath, volumeDirectory } from './container-paths';
import { writeAuthorizedKeys, writeContainerFiles } from './container-files';
import { probeHostSystem } from './host-system';
import { createContainerNetwork, ensureBridge, networkNames, removeContainerNetwork } from './network';
import { lastLines, readLog, rotateIfLarge } from './output-log';
import { isRunning, sleep, spawnDetached, terminate } from './process-supervision';
import { applyLimits, cpuUsageSeconds, describeLimits, detectHierarchy, memoryUsage, prepareLimits, removeLimits } from './resource-limits';
import { loadSandboxes, saveSandbox, type StoredSandbox } from './state-store';
import { diskUsage } from './storage-usage';

export interface SandboxRuntimeOptions {
  dataDir: string;
  /** Where sandboxes get their addresses; the host takes the first one on the bridge. */
  subnet?: string;
  bridge?: string;
  logger?: Logger;
  /** How often dead processes are looked for (watch) and logs rotated. */
  pollIntervalMs?: number;
  /** How long apply waits for sshd to accept connections before answering `starting`. */
  readyTimeoutMs?: number;
  pidsMax?: number;
  logMaxBytes?: number;
}

export const DEFAULT_SANDBOX_SUBNET = '10.213.0.0/16';
export const DEFAULT_SANDBOX_BRIDGE = 'eddc0';

export function createSandboxRuntime(options: SandboxRuntimeOptions): ContainerRuntime {
  const dataDir = resolve(options.dataDir);
  const subnet = parseSubnet(options.subnet ?? DEFAULT_SANDBOX_SUBNET);
  const bridge = options.bridge ?? DEFAULT_SANDBOX_BRIDGE;
  if (!/^[a-zA-Z0-9_-]{1,15}$/.test(bridge)) throw new Error(`bridge name must be 1-15 of [a-zA-Z0-9_-]: ${bridge}`);
  const log = options.logger;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  const pidsMax = options.pidsMax ?? 1_024;
  const logMaxBytes = options.logMaxBytes ?? 4 * 1024 * 1024;

  const sandboxes = new Map<string, StoredSandbox>();
  const lastPhases = new Map<string, RuntimePhase>();
  const watchers = new Set<(state: RuntimeState) => void>();
  const locks = new Map<string, Promise<unknown>>();
  let hierarchy: ReturnType<typeof detectHierarchy> | undefined;
  let poller: NodeJS.Timeout | undefined;
  let closed = false;

  // State on disk is the truth at start: sandboxes started by an earlier compute are adopted, not restarted.
  const loaded = loadSandboxes(dataDir).then(async (stored) => {
    for (const sandbox of stored) sandboxes.set(sandbox.id, sandbox);
    for (const sandbox of stored) lastPhases.set(sandbox.id, (await stateOf(sandbox)).phase);
    if (stored.length > 0) log?.info('sandbox runtime adopted containers', { count: stored.length, dataDir });
    if (!closed) poller = setInterval(() => void poll(), pollIntervalMs).unref();
  });

  /** One operation at a time per container: the reconciler may repeat calls while an earlier one still runs. */
  function exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = locks.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    locks.set(id, settled);
    void settled.then(() => locks.get(id) === settled && locks.delete(id));
    return next;
  }

  async function stateOf(sandbox: StoredSandbox): Promise<RuntimeState> {
    const base = { id: sandbox.id, restarts: sandbox.restarts };
    const limitNote = describeLimits(sandbox.limits.mode);
    if (sandbox.desired === 'stopped') return { ...base, phase: 'stopped' };
    if (await isRunning(sandbox.process)) {
      const phase = sandbox.ready ? 'running' : 'starting';
      const message = sandbox.ready ? limitNote : 'waiting for sshd to accept connections';
      return { ...base, phase, address: sandbox.address, ...(message ? { message } : {}) };
    }
    const { lines } = await lastLines(containerPaths(dataDir, sandbox.id).log, 3);
    return { ...base, phase: 'failed', message: `the sandbox exited${lines.length ? `: ${lines.join(' | ')}` : ''}` };
  }

  async function inspect(id: string): Promise<RuntimeState> {
    await loaded;
    const sandbox = sandboxes.get(id);
    return sandbox ? stateOf(sandbox) : { id, phase: 'absent', restarts: 0 };
  }

  function notify(state: RuntimeState): void {
    if (lastPhases.get(state.id) === state.phase) return;
    lastPhases.set(state.id, state.phase);
    for (const watcher of watchers) watcher(state);
  }

  function acceptsConnections(address: string, port: number, timeoutMs = 300): Promise<boolean> {
    return new Promise((done) => {
      const socket = connect({ host: address, port, timeout: timeoutMs });
      const finish = (open: boolean) => {
        socket.destroy();
        done(open);
      };
      socket.once('connect', () => finish(true));
      socket.once('error', () => finish(false));
      socket.once('timeout', () => finish(false));
    });
  }

  let polling = false;
  async function poll(): Promise<void> {
    // A slow round (many sandboxes) must not overlap the next one.
    if (polling) return;
    polling = true;
    try {
      await pollOnce();
    } finally {
      polling = false;
    }
  }

  async function pollOnce(): Promise<void> {
    for (const sandbox of [...sandboxes.values()]) {
      // Mid-operation (a stop between kill and saving `stopped`) the phase is in flux: not a change to report.
      if (locks.has(sandbox.id)) continue;
      try {
        if (sandbox.desired === 'running' && !sandbox.ready && (await isRunning(sandbox.process))) {
          if (await acceptsConnections(sandbox.address, 22)) {
            sandbox.ready = true;
            await saveSandbox(dataDir, sandbox);
          }
        }
        if (sandboxes.get(sandbox.id) === sandbox) notify(await stateOf(sandbox));
        await rotateIfLarge(containerPaths(dataDir, sandbox.id).log, logMaxBytes);
      } catch (error) {
        log?.warn('sandbox poll failed', { id: sandbox.id, error });
      }
    }
  }

  function newSandbox(spec: ContainerSpec): StoredSandbox {
    const used = [...sandboxes.values()].map((sandbox) => sandbox.address);
    const sandbox: StoredSandbox = {
      id: spec.id,
      address: allocateAddress(subnet, used),
      desired: 'stopped',
      ready: false,
      restarts: 0,
      limits: { mode: 'prlimit', cgroupDirs: [], procsFiles: [], prlimit: [] },
      memoryMb: spec.memoryMb,
    };
    // Claimed synchronously, before any await, so two concurrent applies never get the same address.
    sandboxes.set(spec.id, sandbox);
    return sandbox;
  }

  async function start(sandbox: StoredSandbox, spec: ContainerSpec): Promise<void> {
    const paths = containerPaths(dataDir, spec.id);
    await ensureBridge(bridge, subnet);
    await createContainerNetwork(spec.id, bridge, subnet, sandbox.address);
    await removeLimits(sandbox.limits);
    hierarchy ??= detectHierarchy();
    sandbox.limits = await prepareLimits(await hierarchy, spec.id, spec.memoryMb, pidsMax);
    const volumes = [...new Set(spec.mountPaths.map(normaliseMountPath))]
      .sort((a, b) => a.length - b.length)
      .map((inside) => ({ inside, host: volumeDirectory(paths, inside) }));
    const argv = buildLaunchCommand({
      id: spec.id,
      netns: networkNames(spec.id).netns,
      system: await probeHostSystem(),
      etcEntries: DEFAULT_ETC_ENTRIES,
      paths,
      volumes,
      cgroupProcsFiles: sandbox.limits.procsFiles,
      prlimit: sandbox.limits.prlimit,
    });
    sandbox.process = await spawnDetached(argv, paths.log);
    sandbox.desired = 'running';
    sandbox.ready = false;
    await saveSandbox(dataDir, sandbox);
    log?.info('sandbox started', { id: spec.id, pid: sandbox.process.pid, address: sandbox.address });
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline && (await isRunning(sandbox.process))) {
      if (await acceptsConnections(sandbox.address, 22)) {
        sandbox.ready = true;
        await saveSandbox(dataDir, sandbox);
        return;
      }
      await sleep(25);
    }
  }

  async function halt(sandbox: StoredSandbox): Promise<void> {
    if (sandbox.process) await terminate(sandbox.process);
    await removeLimits(sandbox.limits);
    await removeContainerNetwork(sandbox.id);
  }

  return {
    name: 'sandbox',
    availability: sandboxAvailability,

    async apply(spec) {
      const paths = containerPaths(dataDir, spec.id);
      await loaded;
      return exclusive(spec.id, async () => {
        const existing = sandboxes.get(spec.id);
        const sandbox = existing ?? newSandbox(spec);
        try {
          if (!subnetContains(subnet, sandbox.address)) throw new Error(`${sandbox.address} is outside ${subnet}`);
          await writeContainerFiles(paths, spec, sandbox.address);
          if (await isRunning(sandbox.process)) {
            if (sandbox.memoryMb !== spec.memoryMb) await applyLimits(sandbox.limits, spec.memoryMb, pidsMax);
          } else {
            // It was meant to run and its process is gone: that is a restart, as after a crash.
            if (sandbox.desired === 'running' && sandbox.process) sandbox.restarts += 1;
            await halt(sandbox);
            await start(sandbox, spec);
          }
          sandbox.memoryMb = spec.memoryMb;
          await saveSandbox(dataDir, sandbox);
        } catch (error) {
          if (!existing) {
            sandboxes.delete(spec.id);
            await halt(sandbox).catch(() => undefined);
          }
          throw error;
        }
        const state = await stateOf(sandbox);
        notify(state);
        return state;
      });
    },

    async stop(id) {
      await loaded;
      return exclusive(id, async () => {
        const sandbox = sandboxes.get(id);
        if (!sandbox) return { id, phase: 'absent' as const, restarts: 0 };
        await halt(sandbox);
        sandbox.desired = 'stopped';
        sandbox.ready = false;
        delete sandbox.process;
        await saveSandbox(dataDir, sandbox);
        log?.info('sandbox stopped', { id });
        const state = await stateOf(sandbox);
        lastPhases.set(id, state.phase);
        return state;
      });
    },

    async remove(id) {
      const paths = containerPaths(dataDir, id);
      await loaded;
      await exclusive(id, async () => {
        const sandbox = sandboxes.get(id);
        if (sandbox) await halt(sandbox);
        else await removeContainerNetwork(id);
        await rm(paths.root, { recursive: true, force: true });
        sandboxes.delete(id);
        lastPhases.delete(id);
        log?.info('sandbox removed', { id });
      });
    },

    inspect,

    async list() {
      await loaded;
      return Promise.all([...sandboxes.values()].map(stateOf));
    },

    async setAuthorizedKeys(id, lines) {
      const paths = containerPaths(dataDir, id);
      await loaded;
      if (!sandboxes.has(id)) throw new Error(`no sandbox ${id}`);
      await writeAuthorizedKeys(paths, lines);
    },

    async usage(id): Promise<RuntimeUsage> {
      const paths = containerPaths(dataDir, id);
      await loaded;
      const sandbox = sandboxes.get(id);
      if (!sandbox) return {};
      const storageBytes = (await diskUsage(paths.volumes)) + (await diskUsage(paths.home));
      if (!(await isRunning(sandbox.process))) return { storageBytes };
      const [memoryBytes, cpuSeconds] = await Promise.all([memoryUsage(sandbox.limits), cpuUsageSeconds(sandbox.limits)]);
      return {
        storageBytes,
        ...(memoryBytes !== undefined ? { memoryBytes } : {}),
        ...(cpuSeconds !== undefined ? { cpuSeconds } : {}),
      };
    },

    logs(id: string, logOptions: LogOptions) {
      return readLog(containerPaths(dataDir, id).log, logOptions);
    },

    watch(onChange) {
      watchers.add(onChange);
      return () => watchers.delete(onChange);
    },

    async close() {
      // Sandboxes keep running: the next compute adopts them.
      closed = true;
      await loaded.catch(() => undefined);
      if (poller) clearInterval(poller);
      watchers.clear();
    },
  };
}
