import type { ContainerInspectInfo } from 'dockerode';
import type { RuntimeState } from '../container-runtime';

/** After this many automatic restarts in a row a restarting container counts as failed, not starting. */
export const CRASH_LOOP_RESTARTS = 3;

/**
 * Docker's view → a phase. Ready means the container's health check passes (sshd listens), or, for a container
 * without one, `sshdListening` (a TCP connect to :22 at its address). No container: stopped if its volumes remain,
 * else absent.
 */
export function stateFromInspect(
  id: string,
  info: ContainerInspectInfo | undefined,
  network: string,
  hasVolumes: boolean,
  sshdListening: boolean,
): RuntimeState {
  if (!info) return { id, phase: hasVolumes ? 'stopped' : 'absent', restarts: 0 };
  const restarts = info.RestartCount ?? 0;
  const state = info.State;
  const address = info.NetworkSettings?.Networks?.[network]?.IPAddress || undefined;
  if (state.OOMKilled) return { id, phase: 'failed', restarts, message: 'killed: out of memory' };
  if (state.Restarting) {
    const message = `restarting after exit ${state.ExitCode}`;
    return { id, phase: restarts >= CRASH_LOOP_RESTARTS ? 'failed' : 'starting', restarts, message };
  }
  if (state.Running) {
    // The image's health check when the engine reports one; compute's own TCP check of :22 otherwise.
    const health = state.Health?.Status;
    const ready = health ? health === 'healthy' : sshdListening;
    if (address && ready) return { id, phase: 'running', address, restarts };
    if (health === 'unhealthy') return { id, phase: 'starting', restarts, message: 'sshd is not answering (unhealthy)' };
    return { id, phase: 'starting', restarts, message: address ? 'sshd not ready yet' : 'no address on the network yet' };
  }
  if (state.Status === 'created') return { id, phase: 'starting', restarts, message: 'created' };
  if (state.Error) return { id, phase: 'failed', restarts, message: state.Error };
  // exited (compute stopped it: with `unless-stopped`, a crash would be restarting instead) or paused/dead.
  if (state.Status === 'dead') return { id, phase: 'failed', restarts, message: 'the engine marked the container dead' };
  return { id, phase: 'stopped', restarts };
}

/** Splits Docker's multiplexed log stream (8-byte frame headers: stream, 0, 0, 0, big-endian length) into its payload. */
export function demuxLogFrames(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts);
}
