import { canAccess } from '@edd/auth-client';
import { formatScope } from '@edd/scopes';
import type { ComputeDeps } from '../context';
import { findOwnedContainer } from '../data/containers';
import { loadSecrets } from '../data/secrets';
import { CONTAINER_SSH_PORT } from '../routes/internal';
import { openShell } from '../terminal/open-shell';
import { bridgeTerminal } from '../terminal/terminal-bridge';
import { initialSize } from '../terminal/terminal-messages';

/** Keystrokes and resize messages are small; a paste bigger than this is refused (close 1009). */
const MAX_TERMINAL_MESSAGE_BYTES = 64 * 1024;

/**
 * `WS /compute/containers/:id/terminal`: a shell on a PTY in the container, reached like every other way in: SSH to
 * its sshd with the container's platform key, its host key pinned. Needs `update` on the container (a shell can
 * change anything in it). Someone else's container and an unknown one are refused alike (403).
 */
export function mountTerminalSocket(deps: ComputeDeps): void {
  deps.live.websocket({
    path: '/compute/containers/:id/terminal',
    auth: deps.liveAuth,
    maxPayload: MAX_TERMINAL_MESSAGE_BYTES,
    authorize: async (principal, _req, params) => {
      const id = params['id'] ?? '';
      if (!canAccess(principal, formatScope('compute', principal.userId, 'containers', id), 'update')) return false;
      return (await findOwnedContainer(deps.db, principal.userId, id)) !== undefined;
    },
    onConnection: async (socket, principal, req) => {
      const id = socket.params['id'] ?? '';
      const query = new URL(req.url ?? '/', 'http://compute').searchParams;
      bridgeTerminal(socket.raw, async () => {
        const row = await findOwnedContainer(deps.db, principal.userId, id);
        if (!row || row.status !== 'running' || !row.address) throw new Error('the container is not running');
        const secrets = await loadSecrets(deps.db, deps.sealer, id);
        if (!secrets) throw new Error('the container has no keys yet');
        return openShell(
          {
            host: row.address,
            port: CONTAINER_SSH_PORT,
            hostPublicKey: secrets.hostKey.publicKey,
            username: 'root',
            privateKey: secrets.platformKey.privateKey,
          },
          initialSize(query),
        );
      });
    },
  });
}
