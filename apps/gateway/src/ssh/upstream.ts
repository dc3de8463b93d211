import { connect as connectTcp } from 'node:net';
import { pinnedHostVerifier } from '@edd/ssh-keys';
import ssh2 from 'ssh2';
import type { BaseAgent, Client as SshClient } from 'ssh2';
import type { SshGrant } from './authorizer';
import { coalesceWrites } from './write-coalescing';

const { Client } = ssh2;

/** Why the upstream could not be used; `reason` goes to the log and the refusal metric. */
export class UpstreamError extends Error {
  constructor(
    readonly reason: 'upstream_host_key_mismatch' | 'upstream_unreachable' | 'upstream_auth_failed' | 'invalid_grant',
    message: string,
  ) {
    super(message);
  }
}

function verifierFor(line: string): ((presented: Buffer) => boolean) | undefined {
  try {
    return pinnedHostVerifier(line);
  } catch {
    return undefined;
  }
}

export interface UpstreamOptions {
  timeoutMs: number;
  keepaliveMs: number;
  /** Answers the agent channels the container opens once a session asked for agent forwarding (`ssh -A`). */
  agent?: BaseAgent;
}

/**
 * Opens the SSH connection to the container's sshd as compute described it: the host key must be the one compute
 * pinned (no trust on first use, never "ignore"), and the gateway logs in with the container's platform key.
 */
export function connectUpstream(grant: SshGrant, options: UpstreamOptions): Promise<SshClient> {
  const pinned = verifierFor(grant.hostKey);
  if (!pinned) return Promise.reject(new UpstreamError('invalid_grant', 'compute sent a host key that does not parse'));
  return new Promise((resolve, reject) => {
    const client = new Client();
    let mismatch = false;
    const fail = (error: Error & { level?: string }): void => {
      client.removeListener('ready', onReady);
      client.end();
      if (mismatch) reject(new UpstreamError('upstream_host_key_mismatch', 'the container presented a host key other than the pinned one'));
      else if (error.level === 'client-authentication')
        reject(new UpstreamError('upstream_auth_failed', 'the container refused the platform key'));
      else reject(new UpstreamError('upstream_unreachable', error.message));
    };
    const onReady = (): void => {
      client.removeListener('error', fail);
      resolve(client);
    };
    client.once('error', fail);
    client.once('ready', onReady);
    // Our own socket: without Nagle, as the client side has (ssh2 writes whole packets; write-coalescing.ts batches
    // them), and with the packets of one event-loop turn in one write.
    const sock = connectTcp({ host: grant.address, port: grant.port, noDelay: true });
    coalesceWrites(sock);
    client.connect({
      sock,
      host: grant.address,
      port: grant.port,
      username: grant.user,
      privateKey: grant.platformPrivateKey,
      agent: options.agent,
      // Only the platform key logs in: the relayed agent is the user's, never offered to the container as a login.
      authHandler: ['publickey'],
      readyTimeout: options.timeoutMs,
      keepaliveInterval: options.keepaliveMs,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        mismatch = !pinned(key);
        return !mismatch;
      },
    });
  });
}
