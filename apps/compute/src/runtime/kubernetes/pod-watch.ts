import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { KubeModule } from './kube-clients';
import { CONTAINER_ID_LABEL, MANAGED_BY, MANAGED_BY_LABEL } from './names';

export type PodEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; pod: V1Pod; id: string };

export interface PodWatchOptions {
  onEvent: (event: PodEvent) => void;
  onError?: (error: unknown) => void;
  /** Delay before reconnecting after the stream ends or fails. */
  retryMs?: number;
}

/**
 * One watch on every pod compute manages (label selector), across the container namespaces, reconnecting when the
 * server ends it. A reconnect replays the current pods as ADDED, so the caller dedupes by state, not by event.
 */
export function watchManagedPods(module: KubeModule, kubeConfig: KubeConfig, options: PodWatchOptions): () => void {
  const watch = new module.Watch(kubeConfig);
  let stopped = false;
  let controller: AbortController | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const reconnect = () => {
    if (stopped) return;
    retryTimer = setTimeout(connect, options.retryMs ?? 1_000);
    retryTimer.unref();
  };

  const connect = () => {
    if (stopped) return;
    watch
      .watch(
        '/api/v1/pods',
        // The server ends the watch before client-node's 30 s inactivity timer would call it a failure.
        { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}`, timeoutSeconds: 25 },
        (type: string, object: V1Pod) => {
          const id = object?.metadata?.labels?.[CONTAINER_ID_LABEL];
          if (!id || (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED')) return;
          options.onEvent({ type, pod: object, id });
        },
        (error: unknown) => {
          if (error && !stopped) options.onError?.(error);
          reconnect();
        },
      )
      .then((abort) => {
        controller = abort;
        if (stopped) abort.abort();
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        reconnect();
      });
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    controller?.abort();
  };
}
