import { connect } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import Docker from 'dockerode';
import type { ContainerRuntime, ContainerSpec, LogOptions, RuntimeAvailability, RuntimeState, RuntimeUsage } from '../container-runtime';
import { linesOf } from '../text-lines';
import { buildContainerOptions, buildVolumeOptions, dockerSpecHash } from './container-options';
import { demuxLogFrames, stateFromInspect } from './container-state';
import { authorizedKeysFiles, keyFiles, tarArchive } from './key-archive';
import {
  CONTAINER_ID_LABEL,
  containerFilter,
  containerName,
  DEFAULT_NETWORK,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  managedFilter,
  SPEC_HASH_LABEL,
} from './names';

/**
 * The kubernetes runtime's behaviour on one Docker (or Podman Docker-API) engine, for laptops. Differences a
 * reviewer should know: there is no egress policy (Docker has none; the containers reach what the host reaches), and
 * the gateway reaches a container at its address on the user network, which a Linux host can route to but Docker
 * Desktop's host cannot (run the gateway in a container on that network there, with `isolateContainers: false`).
 */
export interface DockerRuntimeOptions {
  /** The Docker (or Podman Docker-API) socket; dockerode's default (DOCKER_HOST, else /var/run/docker.sock) when unset. */
  socketPath?: string;
  /** The user network the containers join and the gateway reaches them on. */
  network?: string;
  /** How long availability() and the sshd readiness check wait. */
  probeTimeoutMs?: number;
  /** Containers on the network cannot reach each other (bridge ICC off); the host still reaches them. Default true. */
  isolateContainers?: boolean;
}

const REMEDY =
  'Start Docker (or Podman with its Docker API socket) and make its socket reachable (DOCKER_HOST or /var/run/docker.sock), ' +
  'or use COMPUTE_RUNTIME=sandbox.';

const statusCode = (error: unknown) =>
  typeof error === 'object' && error !== null && 'statusCode' in error ? (error as { statusCode: unknown }).statusCode : undefined;

async function unlessStatus<T>(codes: number[], call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (codes.includes(statusCode(error) as number)) return undefined;
    throw error;
  }
}

/** Whether something accepts TCP connections at host:port within the timeout. */
function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function createDockerRuntime(options: DockerRuntimeOptions = {}): ContainerRuntime {
  const docker = new Docker({ ...(options.socketPath ? { socketPath: options.socketPath } : {}), timeout: 30_000 });
  const network = options.network ?? DEFAULT_NETWORK;
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  const watchers = new Set<(state: RuntimeState) => void>();
  const lastSeen = new Map<string, RuntimeState>();
  let events: AbortController | undefined;

  const container = (id: string) => docker.getContainer(containerName(id));
  const inspectContainer = (id: string) => unlessStatus([404], container(id).inspect());
  const volumesOf = async (id: string) =>
    (await docker.listVolumes({ filters: JSON.stringify({ label: [managedFilter, containerFilter(id)] }) })).Volumes ?? [];

  async function inspect(id: string): Promise<RuntimeState> {
    const info = await inspectContainer(id);
    const hasVolumes = info ? true : (await volumesOf(id)).length > 0;
    const address = info?.NetworkSettings?.Networks?.[network]?.IPAddress;
    const listening = !!(info?.State.Running && !info.State.Health && address) && (await tcpOpen(address, 22, probeTimeoutMs));
    return stateFromInspect(id, info, network, hasVolumes, listening);
  }

  async function ensureNetwork(): Promise<void> {
    if (await unlessStatus([404], docker.getNetwork(network).inspect())) return;
    await unlessStatus(
      [409],
      docker.createNetwork({
        Name: network,
        Driver: 'bridge',
        Labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
        // Users' containers cannot reach each other; the host (where the gateway runs) still reaches each of them.
        Options: { 'com.docker.network.bridge.enable_icc': options.isolateContainers === false ? 'true' : 'false' },
      }),
    );
  }

  async function ensureImage(spec: ContainerSpec, image: string): Promise<void> {
    const present = await unlessStatus([404], docker.getImage(image).inspect());
    if (present && spec.pullPolicy === 'IfNotPresent') return;
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  function emit(state: RuntimeState) {
    const last = lastSeen.get(state.id);
    if (
      last &&
      last.phase === state.phase &&
      last.message === state.message &&
      last.restarts === state.restarts &&
      last.address === state.address
    )
      return;
    lastSeen.set(state.id, state);
    for (const listener of watchers) listener(state);
  }

  /** Follows the engine's container events (start, die, oom, destroy…) until aborted, reconnecting when the stream ends. */
  async function followEvents(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const stream = (await docker.getEvents({ filters: { type: ['container'], label: [managedFilter] } })) as Readable;
        for await (const line of linesOf(stream, signal)) {
          const id = (JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } }).Actor?.Attributes?.[CONTAINER_ID_LABEL];
          if (id) inspect(id).then(emit, () => undefined);
        }
      } catch {
        // The engine went away or restarted: try again below.
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    }
  }

  return {
    name: 'docker',

    async availability(): Promise<RuntimeAvailability> {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${probeTimeoutMs} ms`)), probeTimeoutMs);
        });
        await Promise.race([docker.ping(), timeout]);
        return { available: true };
      } catch (error) {
        const where = options.socketPath ?? process.env['DOCKER_HOST'] ?? '/var/run/docker.sock';
        return {
          available: false,
          reason: `no Docker engine answers at ${where}: ${error instanceof Error ? error.message : String(error)}`,
          remedy: REMEDY,
        };
      } finally {
        clearTimeout(timer);
      }
    },

    async apply(spec: ContainerSpec): Promise<RuntimeState> {
      await ensureNetwork();
      const wanted = buildContainerOptions(spec, network);
      for (const mountPath of spec.mountPaths) await docker.createVolume(buildVolumeOptions(spec, mountPath));
      let info = await inspectContainer(spec.id);
      if (info && info.Config.Labels?.[SPEC_HASH_LABEL] !== dockerSpecHash(spec)) {
        // Image, limits or mounts changed: a new container on the same volumes.
        await container(spec.id).remove({ force: true });
        info = undefined;
      }
      if (!info) {
        await ensureImage(spec, wanted.Image ?? '');
        await docker.createContainer(wanted);
      }
      // Keys before start (putArchive works on a created container), and again on every apply: they may have changed.
      await container(spec.id).putArchive(tarArchive(keyFiles(spec)), { path: '/' });
      if (!info?.State.Running) await unlessStatus([304], container(spec.id).start());
      return inspect(spec.id);
    },

    async stop(id: string): Promise<RuntimeState> {
      await unlessStatus([304, 404], container(id).stop({ t: 10 }));
      return inspect(id);
    },

    async remove(id: string): Promise<void> {
      await unlessStatus([404], container(id).remove({ force: true }));
      for (const volume of await volumesOf(id)) await unlessStatus([404], docker.getVolume(volume.Name).remove());
      lastSeen.delete(id);
    },

    inspect,

    async list(): Promise<RuntimeState[]> {
      const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [managedFilter] }) });
      const volumes = (await docker.listVolumes({ filters: JSON.stringify({ label: [managedFilter] }) })).Volumes ?? [];
      const ids = new Set([...containers, ...volumes].map((item) => item.Labels?.[CONTAINER_ID_LABEL]).filter((id): id is string => !!id));
      return Promise.all([...ids].map(inspect));
    },

    async setAuthorizedKeys(id: string, lines: string[]): Promise<void> {
      // The entrypoint notices the changed file within 2 s and copies it into place. No container: the next apply
      // writes the keys.
      await unlessStatus([404], container(id).putArchive(tarArchive(authorizedKeysFiles(lines)), { path: '/' }));
    },

    async usage(id: string): Promise<RuntimeUsage> {
      const usage: RuntimeUsage = {};
      const stats = await unlessStatus([404, 409], container(id).stats({ stream: false }));
      if (stats?.memory_stats?.usage !== undefined) usage.memoryBytes = stats.memory_stats.usage;
      // Nanoseconds since the container started.
      if (stats?.cpu_stats?.cpu_usage?.total_usage !== undefined) usage.cpuSeconds = stats.cpu_stats.cpu_usage.total_usage / 1e9;
      const names = new Set((await volumesOf(id)).map((v) => v.Name));
      const sizes = ((await docker.df()) as { Volumes?: Array<{ Name: string; UsageData?: { Size: number } }> }).Volumes ?? [];
      const own = sizes.filter((v) => names.has(v.Name) && (v.UsageData?.Size ?? -1) >= 0);
      if (own.length) usage.storageBytes = own.reduce((sum, v) => sum + (v.UsageData?.Size ?? 0), 0);
      return usage;
    },

    async *logs(id: string, logOptions: LogOptions): AsyncIterable<string> {
      const base = { stdout: true, stderr: true, tail: logOptions.tail };
      if (!logOptions.follow) {
        const buffer = await unlessStatus([404], container(id).logs({ ...base, follow: false }));
        if (buffer) yield* linesOf(Readable.from([demuxLogFrames(buffer)]), logOptions.signal);
        return;
      }
      const raw = await unlessStatus([404], container(id).logs({ ...base, follow: true }));
      if (!raw) return;
      const output = new PassThrough();
      docker.modem.demuxStream(raw, output, output);
      raw.on('end', () => output.end());
      logOptions.signal.addEventListener('abort', () => (raw as Readable).destroy(), { once: true });
      yield* linesOf(output, logOptions.signal);
    },

    watch(onChange: (state: RuntimeState) => void): () => void {
      watchers.add(onChange);
      if (!events) {
        events = new AbortController();
        void followEvents(events.signal);
      }
      return () => {
        watchers.delete(onChange);
        if (watchers.size === 0) {
          events?.abort();
          events = undefined;
        }
      };
    },

    async close(): Promise<void> {
      watchers.clear();
      events?.abort();
      events = undefined;
    },
  };
}
