import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';

const { BaseAgent } = ssh2;

// ssh2's server opens a channel with these (its MAX_WINDOW and PACKET_SIZE).
const WINDOW = 2 * 1024 * 1024;
const PACKET = 32 * 1024;

/**
 * ssh2's server Connection can open forwarded-tcpip, x11 and streamlocal channels to its client, but has no method
 * for `auth-agent@openssh.com` (its protocol layer has). These are the two internals that the public methods use.
 */
interface ConnectionInternals {
  _chanMgr?: { add(callback: (error: Error | undefined, channel: ServerChannel) => void): number };
  _protocol?: { openssh_authAgent?(channel: number, window: number, packet: number): void };
}

function openAgentChannel(client: Connection, callback: (error: Error | undefined, channel?: ServerChannel) => void): void {
  const internals = client as unknown as ConnectionInternals;
  const open = internals._protocol?.openssh_authAgent;
  if (!internals._chanMgr || !open) return callback(new Error('this ssh2 version cannot open agent channels'));
  const wrapper = Object.assign((error: Error | undefined, channel: ServerChannel) => callback(error, channel), {
    type: 'auth-agent@openssh.com',
  });
  const id = internals._chanMgr.add(wrapper);
  if (id === -1) return callback(new Error('no free channels'));
  open.call(internals._protocol, id, WINDOW, PACKET);
}

/**
 * The agent the gateway's upstream connection forwards: each `auth-agent@openssh.com` channel the container's sshd
 * opens (an `ssh-add -l`, a `git push` inside) becomes the same channel opened back to the client, whose ssh answers
 * it from the user's agent. Never used to log in upstream (the platform key does that), and only asked for upstream
 * on a session whose client sent `auth-agent-req@openssh.com` (`ssh -A`).
 */
export class ClientAgentRelay extends BaseAgent {
  private client: Connection | undefined;

  constructor(private readonly channels: { admit(): boolean; release(): void }) {
    super();
  }

  /** The client connection, known once it has logged in. */
  attach(client: Connection): void {
    this.client = client;
  }

  getIdentities(callback: (error: Error | undefined) => void): void {
    callback(new Error('the relayed agent is not used to log in'));
  }

  sign(_key: unknown, _data: Buffer, ...rest: unknown[]): void {
    const callback = rest.find((arg): arg is (error?: Error) => void => typeof arg === 'function');
    callback?.(new Error('the relayed agent is not used to log in'));
  }

  override getStream(callback: (error: Error | undefined, stream?: ServerChannel) => void): void {
    const client = this.client;
    if (!client) return callback(new Error('no client connection'));
    if (!this.channels.admit()) return callback(new Error('too many channels'));
    openAgentChannel(client, (error, channel) => {
      if (error || !channel) {
        this.channels.release();
        return callback(error ?? new Error('the client refused the agent channel'));
      }
      channel.once('close', () => this.channels.release());
      callback(undefined, channel);
    });
  }
}
