import type { Socket } from 'node:net';
import type { Logger } from '@edd/logger';
import ssh2 from 'ssh2';
import type { AuthContext, Client as SshClient, Connection, ParsedKey, PublicKeyAuthContext } from 'ssh2';
import { ClientAgentRelay } from './agent-relay';
import type { SshAuthorizer } from './authorizer';
import { SshAudit, type SessionRecord } from './audit';
import type { TrafficMeter } from './channel-pipe';
import { relayDirectTcpip, relayRemoteForwards } from './forwarding';
import { sshFingerprint } from '@edd/ssh-keys';
import { parseLogin } from './login';
import { classifyComputeRefusal, type RefusalReason } from './refusal';
import { relaySession, type RelayedSession } from './session-relay';
import { connectUpstream, UpstreamError } from './upstream';
import { coalesceWrites } from './write-coalescing';

const { Server, utils } = ssh2;

export interface SshLimits {
  /** From the first byte to a successful login. */
  authTimeoutMs: number;
  /** Open channels (sessions and forwards) per connection. */
  maxChannels: number;
  /** No channel data either way for this long ends the connection; 0 = never. */
  idleTimeoutMs: number;
  /** Keepalive probes both ways (client and container). */
  keepaliveMs: number;
  upstreamTimeoutMs: number;
  /** Login attempts per connection (sshd's MaxAuthTries). */
  maxAuthAttempts: number;
}

export interface SshConnectionDeps {
  hostKeys: ParsedKey[];
  authorizer: SshAuthorizer;
  audit: SshAudit;
  limits: SshLimits;
  logger: Logger;
  isDraining(): boolean;
}

/**
 * One client connection: public-key login checked with compute, the upstream opened before the login is accepted
 * (so a container that cannot be reached or shows the wrong host key is a refusal), then every channel relayed.
 */
export class GatewaySshConnection implements TrafficMeter {
  private client: Connection | undefined;
  private upstream: SshClient | undefined;
  private record: SessionRecord | undefined;
  private openedAt = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private channels = 0;
  private attempts = 0;
  private readonly sessions = new Set<RelayedSession>();
  private authTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closeReason = 'client disconnected';
  private finished = false;
  /** Sessions, forwards and agent channels share the per-connection maximum. */
  private readonly admission = {
    admit: () => this.channels < this.deps.limits.maxChannels && ++this.channels > 0,
    release: () => void this.channels--,
  };
  private readonly agent = new ClientAgentRelay(this.admission);

  constructor(
    private readonly socket: Socket,
    private readonly clientAddress: string,
    private readonly deps: SshConnectionDeps,
    private readonly events: { authenticated(): void; closed(): void },
  ) {}

  start(firstBytes: Buffer): void {
    const { limits } = this.deps;
    const server = new Server(
      // Parsed once by the plane; ssh2 takes parsed keys in the `{ key }` form only.
      {
        hostKeys: this.deps.hostKeys.map((key) => ({ key })),
        ident: 'edd-gateway',
        keepaliveInterval: limits.keepaliveMs,
        keepaliveCountMax: 3,
      },
      (client) => this.attach(client),
    );
    this.authTimer = setTimeout(() => {
      this.deps.audit.refused('auth_timeout', { clientAddress: this.clientAddress });
      this.socket.destroy();
    }, limits.authTimeoutMs);
    this.socket.once('close', () => this.finish());
    // The edge read these bytes to recognise SSH: give them back before ssh2 starts reading (it resumes the socket).
    // None when the client waits for the server's banner first (ssh-keyscan).
    if (firstBytes.length > 0) this.socket.unshift(firstBytes);
    coalesceWrites(this.socket);
    server.injectSocket(this.socket);
  }

  /** Ends the connection with `message` shown in every open session (gateway draining, upstream lost). */
  shutdown(message: string): void {
    this.closeReason = message;
    const hadSessions = this.sessions.size > 0;
    for (const session of this.sessions) session.abort(message);
    // OpenSSH exits on a disconnect without printing output it still holds: let it read the message and close
    // its channels first (it then leaves by itself); the disconnect and the cut are only for clients that stay.
    setTimeout(() => this.client?.end(), hadSessions ? 1_000 : 0).unref();
    setTimeout(() => this.socket.destroy(), 3_000).unref();
  }

  /** Bytes relayed so far, in = client to container (the flow-control tests watch them). */
  get relayed(): { in: number; out: number } {
    return { in: this.bytesIn, out: this.bytesOut };
  }

  get authenticated(): boolean {
    return this.record !== undefined;
  }

  inbound(bytes: number): void {
    this.bytesIn += bytes;
    this.idleTimer?.refresh();
  }

  outbound(bytes: number): void {
    this.bytesOut += bytes;
    this.idleTimer?.refresh();
  }

  private attach(client: Connection): void {
    this.client = client;
    client.on('error', (error: Error) => this.deps.logger.debug('ssh client connection error', { error: error.message }));
    client.on('authentication', (ctx) => void this.authenticate(ctx));
    client.on('ready', () => this.ready(client));
  }

  private refuse(ctx: AuthContext, reason: RefusalReason, fields: Record<string, unknown>): void {
    this.deps.audit.refused(reason, { clientAddress: this.clientAddress, username: ctx.username, ...fields });
    ctx.reject(['publickey']);
    if (this.attempts >= this.deps.limits.maxAuthAttempts) this.client?.end();
  }

  private async authenticate(ctx: AuthContext): Promise<void> {
    if (ctx.method !== 'publickey')
      return ctx.method === 'none' ? ctx.reject(['publickey']) : this.refuse(ctx, 'method_not_allowed', { method: ctx.method });
    this.attempts++;
    const fingerprint = sshFingerprint(ctx.key.data);
    const fields = { fingerprint };
    if (this.deps.isDraining()) return this.refuse(ctx, 'draining', fields);
    const login = parseLogin(ctx.username);
    if (!login) return this.refuse(ctx, 'malformed_login', fields);
    Object.assign(fields, { containerId: login.containerId });
    if (ctx.signature && !this.signatureValid(ctx)) return this.refuse(ctx, 'bad_signature', fields);

    const decision = await this.deps.authorizer.authorize({ containerId: login.containerId, login: login.user, fingerprint });
    if (!decision.allow) return this.refuse(ctx, classifyComputeRefusal(decision.reason), { ...fields, detail: decision.reason });
    // Without a signature the client only asks whether this key would do (RFC 4252 §7): say yes, wait for the proof.
    if (!ctx.signature) return ctx.accept();

    try {
      this.upstream = await connectUpstream(decision.grant, {
        timeoutMs: this.deps.limits.upstreamTimeoutMs,
        keepaliveMs: this.deps.limits.keepaliveMs,
        agent: this.agent,
      });
    } catch (error) {
      const reason = error instanceof UpstreamError ? error.reason : 'upstream_unreachable';
      return this.refuse(ctx, reason, {
        ...fields,
        detail: (error as Error).message,
        upstream: `${decision.grant.address}:${decision.grant.port}`,
      });
    }
    if (this.socket.destroyed) return void this.upstream.end();
    this.record = {
      sessionId: SshAudit.newSessionId(),
      userId: decision.grant.ownerId,
      containerId: login.containerId,
      clientAddress: this.clientAddress,
      fingerprint,
    };
    ctx.accept();
  }

  private signatureValid(ctx: PublicKeyAuthContext): boolean {
    const key = utils.parseKey(ctx.key.data);
    if (key instanceof Error || !ctx.blob || !ctx.signature) return false;
    const parsed = Array.isArray(key) ? key[0] : key;
    return parsed !== undefined && parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
  }

  private ready(client: Connection): void {
    const upstream = this.upstream;
    const record = this.record;
    if (!upstream || !record) return void client.end();
    clearTimeout(this.authTimer);
    this.openedAt = Date.now();
    this.events.authenticated();
    this.deps.audit.opened(record);
    const { idleTimeoutMs } = this.deps.limits;
    if (idleTimeoutMs > 0) this.idleTimer = setTimeout(() => this.shutdown('idle timeout: the connection is closed'), idleTimeoutMs);

    upstream.on('error', (error: Error) =>
      this.deps.logger.warn('ssh upstream error', { sessionId: record.sessionId, error: error.message }),
    );
    upstream.once('close', () => {
      if (!this.finished) this.shutdown(`the connection to container ${record.containerId} was lost`);
    });

    const channels = this.admission;
    this.agent.attach(client);
    client.on('session', (accept, reject) => {
      if (!channels.admit()) return reject();
      const relayed = relaySession(
        accept(),
        upstream,
        this,
        () => {
          this.sessions.delete(relayed);
          channels.release();
        },
        true,
      );
      this.sessions.add(relayed);
    });
    client.on('tcpip', (accept, reject, info) => {
      if (!channels.admit()) return reject();
      relayDirectTcpip(accept, reject, info, upstream, this, channels.release);
    });
    relayRemoteForwards(client, upstream, this, channels);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.authTimer);
    clearTimeout(this.idleTimer);
    this.upstream?.end();
    if (this.record && this.openedAt > 0) {
      this.deps.audit.closed(this.record, {
        bytesIn: this.bytesIn,
        bytesOut: this.bytesOut,
        durationMs: Date.now() - this.openedAt,
        reason: this.closeReason,
      });
    }
    this.events.closed();
  }
}
