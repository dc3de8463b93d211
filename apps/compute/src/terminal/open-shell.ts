import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { pinnedHostVerifier } from '@edd/ssh-keys';
import type { SshTarget } from './ssh-target';

const { Client } = ssh2;

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface OpenShell {
  /** stdout and stderr of the shell, merged as a terminal shows them; write() is stdin. */
  channel: ClientChannel;
  resize(size: TerminalSize): void;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Logs in to the container with its platform key, host key pinned, and starts a login shell on a PTY. */
export function openShell(target: SshTarget, size: TerminalSize, term = 'xterm-256color'): Promise<OpenShell> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.once('error', fail);
    client.once('close', () => fail(new Error('the container closed the SSH connection')));
    client.once('ready', () => {
      // Keystrokes are tiny writes: with Nagle on, one waits for the ACK of the last (delayed up to 40 ms).
      client.setNoDelay(true);
      client.shell({ term, cols: size.cols, rows: size.rows }, (error, channel) => {
        if (error) return fail(error);
        settled = true;
        channel.once('close', () => client.end());
        resolve({
          channel,
          resize: ({ cols, rows }) => channel.setWindow(rows, cols, 0, 0),
          close: () => {
            channel.close();
            client.end();
          },
        });
      });
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      hostVerifier: pinnedHostVerifier(target.hostPublicKey),
      readyTimeout: CONNECT_TIMEOUT_MS,
      // Only the key: no agent, no password, no keyboard-interactive prompts.
      tryKeyboard: false,
      keepaliveInterval: 15_000,
    });
  });
}
