import type { Socket } from 'node:net';
import type { Logger } from '@edd/logger';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { AddressLimiter } from './address-limiter';
import type { SshAuthorizer } from './authorizer';
import { SshAudit, type SshMetricsSink } from './audit';
import type { HostKey } from './host-keys';
import { GatewaySshConnection, type SshLimits } from './ssh-connection';

const { utils } = ssh2;

export interface SshPlaneOptions {
  hostKeys: HostKey[];
  authorizer: SshAuthorizer;
  logger: Logger;
  limits: SshLimits & { maxUnauthenticatedPerAddress: number };
  metrics?: SshMetricsSink;
  /** Where `gateway.ssh.session.*` go; none = not published. */
  bus?: ConstructorParameters<typeof SshAudit>[2];
}

function parsed(key: HostKey): ParsedKey {
  const result = utils.parseKey(key.privateKey);
  const first = Array.isArray(result) ? result[0] : result;
  if (first === undefined || first instanceof Error) throw new Error(`host key ${key.fingerprint} does not parse`);
  return first;
}

/**
 * The gateway's SSH server, fed by the edge with every connection that starts with `SSH-` (port 2222 and the
 * ingress ports alike). Holds the pre-authentication limits and the drain.
 */
export class SshPlane {
  private readonly hostKeys: ParsedKey[];
  private readonly audit: SshAudit;
  private readonly unauthenticated: AddressLimiter;
  private readonly connections = new Set<GatewaySshConnection>();
  private draining = false;
  private drained: (() => void) | undefined;

  constructor(private readonly options: SshPlaneOptions) {
    if (options.hostKeys.length === 0) throw new Error('the SSH plane needs at least one host key');
    this.hostKeys = options.hostKeys.map(parsed);
    this.audit = new SshAudit(options.logger, options.metrics, options.bus);
    this.unauthenticated = new AddressLimiter(options.limits.maxUnauthenticatedPerAddress);
    options.metrics?.gauge('gateway_ssh_connections', 'SSH client connections open (logged in or not).', () => this.connections.size);
  }

  /** The edge's SshHandler: the socket arrives paused, its first bytes already read. */
  readonly handle = (socket: Socket, firstBytes: Buffer): void => {
    const address = normaliseIp(socket.remoteAddress ?? 'unknown');
    if (this.draining) {
      this.audit.refused('draining', { clientAddress: address });
      return void socket.destroy();
    }
    if (!this.unauthenticated.acquire(address)) {
      this.audit.refused('too_many_unauthenticated', { clientAddress: address });
      return void socket.destroy();
    }
    let holdsSlot = true;
    const releaseSlot = (): void => {
      if (holdsSlot) this.unauthenticated.release(address);
      holdsSlot = false;
    };
    const connection = new GatewaySshConnection(
      socket,
      address,
      {
        hostKeys: this.hostKeys,
        authorizer: this.options.authorizer,
        audit: this.audit,
        limits: this.options.limits,
        logger: this.options.logger,
        isDraining: () => this.draining,
      },
      {
        authenticated: releaseSlot,
        closed: () => {
          releaseSlot();
          this.connections.delete(connection);
          if (this.connections.size === 0) this.drained?.();
        },
      },
    );
    this.connections.add(connection);
    try {
      connection.start(firstBytes);
    } catch (error) {
      // One broken connection must never take the gateway down.
      this.options.logger.error('ssh connection failed to start', { clientAddress: address, error });
      socket.destroy();
    }
  };

  get openConnections(): number {
    return this.connections.size;
  }

  /** Bytes relayed by the open connections so far, in = client to container. */
  relayedBytes(): { in: number; out: number } {
    const total = { in: 0, out: 0 };
    for (const connection of this.connections) {
      total.in += connection.relayed.in;
      total.out += connection.relayed.out;
    }
    return total;
  }

  /**
   * SIGTERM: new logins are refused at once; open sessions keep running for `graceMs`, then are ended with a
   * message. Resolves when every connection is gone.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    for (const connection of this.connections) if (!connection.authenticated) connection.shutdown('the gateway is restarting');
    if (this.connections.size === 0) return;
    const empty = new Promise<void>((resolve) => (this.drained = resolve));
    let timer: NodeJS.Timeout | undefined;
    // Two seconds before the edge cuts the sockets, so the goodbye message still reaches the clients.
    const messageAt = Math.max(0, graceMs - 2_000);
    const graceOver = new Promise<'grace over'>((resolve) => (timer = setTimeout(() => resolve('grace over'), messageAt)));
    if ((await Promise.race([empty, graceOver])) === 'grace over') {
      for (const connection of this.connections) connection.shutdown('the gateway is restarting: reconnect in a moment');
      await Promise.race([empty, new Promise((resolve) => setTimeout(resolve, graceMs - messageAt + 500))]);
    }
    clearTimeout(timer);
  }
}

function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
