/**
 * What compute asks of whatever runs containers: the local `sandbox` (bubblewrap in a network namespace),
 * `kubernetes` and `docker`. The reconciler (../reconcile) owns desired state; a runtime only makes one container
 * match a spec and reports what it sees. Every method is idempotent: the reconciler may repeat any call after a crash.
 */

/** What the runtime observes. `absent`: nothing exists; `stopped`: volumes exist, no process. */
export type RuntimePhase = 'absent' | 'starting' | 'running' | 'stopped' | 'failed';

export type RuntimeName = 'sandbox' | 'kubernetes' | 'docker';

export interface HostKeyPair {
  /** OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`), ed25519. */
  privateKey: string;
  /** `ssh-ed25519 AAAA...` */
  publicKey: string;
}

export interface ContainerSpec {
  /** Lowercase, [a-z0-9]{8}: also the hostname and a DNS label. */
  id: string;
  ownerId: string;
  image: string;
  pullPolicy: 'IfNotPresent' | 'Always';
  /** CPU in thousandths of a core (the instance type's). */
  cpuMillis: number;
  memoryMb: number;
  storageGb: number;
  /** Absolute paths inside the container that persist across stop/start and restarts. */
  mountPaths: string[];
  sshEnabled: boolean;
  /** The container's own SSH host key: the gateway pins its public half. */
  hostKey: HostKeyPair;
  /** Lines for root's authorized_keys: the owner's keys and the container's platform public key. */
  authorizedKeys: string[];
  /** Target ports the gateway may reach besides 22 (the ingress rules' target ports). */
  ingressPorts: number[];
}

export interface RuntimeState {
  id: string;
  phase: RuntimePhase;
  /** Where sshd (port 22) and the ingress target ports answer, reachable from the gateway; set while running. */
  address?: string;
  /** Why it failed or is still starting, for people. */
  message?: string;
  restarts: number;
}

export interface RuntimeUsage {
  memoryBytes?: number;
  storageBytes?: number;
  /** CPU time the container used since it started (cumulative): a reader takes the rate between two readings. */
  cpuSeconds?: number;
}

export type RuntimeAvailability = { available: true } | { available: false; reason: string; remedy: string };

export interface LogOptions {
  /** Lines of history first (0 = none). */
  tail: number;
  follow: boolean;
  signal: AbortSignal;
}

export interface ContainerRuntime {
  readonly name: RuntimeName;
  /** Whether this runtime can run containers here, and if not, what a person should do. */
  availability(): Promise<RuntimeAvailability>;
  /** Creates whatever is missing and starts the container; changes a running one to match (keys, ports, limits). */
  apply(spec: ContainerSpec): Promise<RuntimeState>;
  /** Stops the processes, keeps the volumes. */
  stop(id: string): Promise<RuntimeState>;
  /** Removes everything, volumes included. */
  remove(id: string): Promise<void>;
  inspect(id: string): Promise<RuntimeState>;
  /** Every container this runtime holds (so the reconciler can find orphans). */
  list(): Promise<RuntimeState[]>;
  /** Rewrites root's authorized_keys in a running container within seconds, without a restart. */
  setAuthorizedKeys(id: string, lines: string[]): Promise<void>;
  usage(id: string): Promise<RuntimeUsage>;
  /** The container's output (sshd and its entrypoint), line by line. */
  logs(id: string, options: LogOptions): AsyncIterable<string>;
  /** Calls back on every phase change the runtime notices by itself (a process that died). Returns unsubscribe. */
  watch(onChange: (state: RuntimeState) => void): () => void;
  close(): Promise<void>;
}
