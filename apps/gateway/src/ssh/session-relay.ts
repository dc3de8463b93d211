import type { Client as SshClient, ClientChannel, ExecOptions, PseudoTtyOptions, ServerChannel, Session, ShellOptions } from 'ssh2';
import { ended, flushed, meteredPipe, type TrafficMeter } from './channel-pipe';
import { keepWindowsOpen } from './channel-window';

/** Variables a client may pass (RFC 4254 §6.4 lets the server choose); the container's sshd filters again. */
const ENV_ALLOWED = /^(?:LANG|LANGUAGE|LC_[A-Z_]+|TZ|COLORTERM|TERM_PROGRAM|TERM_PROGRAM_VERSION)$/;
const ENV_MAX = 32;
const ENV_VALUE_MAX = 1024;

export interface RelayedSession {
  /** Ends the session with `message` on the client's stderr (upstream lost, gateway draining). */
  abort(message: string): void;
}

type Start = (agent: boolean, callback: (error: Error | undefined, channel: ClientChannel) => void) => void;
/** ssh2 asks the server for agent forwarding on the channel it opens when `agentForward` is set (untyped upstream). */
type AgentOption = { agentForward?: boolean };

/**
 * One client session channel mirrored by one upstream session: pty, env and window-change are collected or
 * forwarded, shell/exec/subsystem open the upstream channel, then data, stderr, EOF, signals and the exit status
 * travel through. `onClose` runs once when the session is over.
 */
export function relaySession(
  session: Session,
  upstream: SshClient,
  meter: TrafficMeter,
  onClose: () => void,
  /** The upstream connection can relay agent channels (see agent-relay.ts). */
  agentRelay = false,
): RelayedSession {
  let pty: PseudoTtyOptions | undefined;
  let agentAsked = false;
  const env: Record<string, string> = {};
  let upstreamChannel: ClientChannel | undefined;
  let clientChannel: ServerChannel | undefined;
  let closed = false;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    upstreamChannel?.close();
    onClose();
  };

  session.on('pty', (accept, _reject, info) => {
    pty = { rows: info.rows, cols: info.cols, height: info.height, width: info.width, term: info.term, modes: info.modes };
    accept?.();
  });
  session.on('env', (accept, reject, info) => {
    const allowed = ENV_ALLOWED.test(info.key) && info.val.length <= ENV_VALUE_MAX && Object.keys(env).length < ENV_MAX;
    if (!allowed) return reject?.();
    env[info.key] = info.val;
    accept?.();
  });
  session.on('window-change', (accept, _reject, info) => {
    if (upstreamChannel) upstreamChannel.setWindow(info.rows, info.cols, info.height, info.width);
    else if (pty) Object.assign(pty, { rows: info.rows, cols: info.cols, height: info.height, width: info.width });
    accept?.();
  });
  session.on('signal', (accept, _reject, info) => {
    upstreamChannel?.signal(info.name);
    accept?.();
  });
  // `ssh -A`: asked upstream when the shell or command starts, so the container's sshd offers SSH_AUTH_SOCK.
  session.on('auth-agent', (accept, reject) => {
    if (!agentRelay) return reject?.();
    agentAsked = true;
    accept?.();
  });
  // X11 is not relayed (docs/ssh.md): refused, as sshd does when it is disabled.
  session.on('x11', (_accept, reject) => reject?.());
  session.on('close', finish);

  const start = (accept: () => ServerChannel, open: Start): void => {
    // Accepted at once: OpenSSH sends input right after the request, and ssh2 drops data for a channel not yet
    // accepted. The input waits in the channel (its window bounds it) until the upstream channel is there.
    const channel = accept();
    clientChannel = channel;
    const opened = (error: Error | undefined, upstreamOpened: ClientChannel, agent: boolean): void => {
      if (closed) return void upstreamOpened?.close();
      // A container whose sshd forbids agent forwarding still gets the session (OpenSSH's own client does not even
      // wait for that answer).
      if (error && agent) return open(false, (retryError, retried) => opened(retryError, retried, false));
      if (error) {
        channel.stderr.write(`edd: the container refused the session: ${error.message}\r\n`);
        channel.exit(1);
        channel.end();
        return finish();
      }
      upstreamChannel = upstreamOpened;
      bridge(channel, upstreamOpened, meter, finish);
    };
    open(agentAsked, (error, upstreamOpened) => opened(error, upstreamOpened, agentAsked));
  };
  const shellOptions = (agent: boolean): ShellOptions & AgentOption => ({ env, agentForward: agent });
  const execOptions = (agent: boolean): ExecOptions & AgentOption => ({ pty, env, agentForward: agent });
  session.on('shell', (accept) => start(accept, (agent, cb) => upstream.shell(pty ?? false, shellOptions(agent), cb)));
  session.on('exec', (accept, _reject, info) => start(accept, (agent, cb) => upstream.exec(info.command, execOptions(agent), cb)));
  session.on('subsystem', (accept, _reject, info) => start(accept, (_agent, cb) => upstream.subsys(info.name, cb)));

  return {
    abort(message) {
      if (clientChannel && clientChannel.writable) {
        clientChannel.stderr.write(`\r\nedd: ${message}\r\n`);
        clientChannel.exit(255);
        clientChannel.end();
      }
      finish();
    },
  };
}

/** Data both ways; the exit status goes after the last byte of output, then EOF and close. */
function bridge(client: ServerChannel, upstream: ClientChannel, meter: TrafficMeter, finish: () => void): void {
  meteredPipe(client, upstream, (n) => meter.inbound(n));
  meteredPipe(upstream, client, (n) => meter.outbound(n), false);
  meteredPipe(upstream.stderr, client.stderr, (n) => meter.outbound(n), false);
  // The container's output arrives on data and stderr and goes to the client's data and stderr.
  keepWindowsOpen({ channel: client, writers: [client, client.stderr] }, { channel: upstream, readers: [upstream, upstream.stderr] });
  let exit: [number] | [string, boolean, string] | undefined;
  upstream.on('exit', (code: number | null, signal?: string, dump?: boolean | string, description?: string) => {
    exit = code === null ? [String(signal ?? 'KILL').replace(/^SIG/, ''), Boolean(dump), description ?? ''] : [code];
  });
  upstream.once('close', () => {
    void Promise.all([ended(upstream), ended(upstream.stderr)])
      .then(() => Promise.all([flushed(client), flushed(client.stderr, client)]))
      .then(() => {
        if (exit && client.writable) {
          if (exit.length === 1) client.exit(exit[0]);
          else client.exit(exit[0], exit[1], exit[2]);
        }
        client.end();
        finish();
      });
  });
  client.once('close', () => {
    upstream.close();
    finish();
  });
}
