import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import type { RuntimeState } from '../container-runtime';

/** Waiting reasons that will not clear by themselves: the user (or the image) must change something. */
const FAILED_WAITING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

const live = (pod: V1Pod) => !pod.metadata?.deletionTimestamp;

/** The pod that stands for the container: a live one over a terminating one, the newest among equals. */
export function currentPod(pods: V1Pod[]): V1Pod | undefined {
  const created = (pod: V1Pod) => new Date(pod.metadata?.creationTimestamp ?? 0).getTime();
  return [...pods].sort((a, b) => Number(live(b)) - Number(live(a)) || created(b) - created(a))[0];
}

/**
 * What the namespace and its pods say: no namespace (or one being deleted) → absent; no live pod → stopped;
 * Pending → starting; Running and Ready → running at `address`; a crash loop, a pull error or a failed pod → failed.
 */
export function stateFromObjects(id: string, namespace: V1Namespace | undefined, pods: V1Pod[], address: string): RuntimeState {
  if (!namespace || namespace.status?.phase === 'Terminating' || namespace.metadata?.deletionTimestamp) {
    return { id, phase: 'absent', restarts: 0 };
  }
  const pod = currentPod(pods);
  const status = pod?.status?.containerStatuses?.[0];
  const restarts = status?.restartCount ?? 0;
  if (!pod || !live(pod)) return { id, phase: 'stopped', restarts };

  const waiting = status?.state?.waiting;
  if (waiting?.reason && FAILED_WAITING_REASONS.has(waiting.reason)) {
    return { id, phase: 'failed', restarts, message: [waiting.reason, waiting.message].filter(Boolean).join(': ') };
  }
  switch (pod.status?.phase) {
    case 'Running': {
      const ready = pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready) return { id, phase: 'running', address, restarts };
      const terminated = status?.lastState?.terminated;
      const message = terminated
        ? `restarting after exit ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`
        : 'sshd not ready yet';
      return { id, phase: 'starting', restarts, message };
    }
    case 'Failed':
    case 'Succeeded': {
      const message = pod.status.message ?? status?.state?.terminated?.reason ?? `pod ${pod.status.phase.toLowerCase()}`;
      return { id, phase: 'failed', restarts, message };
    }
    default: {
      // Pending: scheduling, pulling the image or creating the container. A scheduling problem is worth showing.
      const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      const message = unschedulable?.message ?? waiting?.reason ?? 'scheduling';
      return { id, phase: 'starting', restarts, message };
    }
  }
}
