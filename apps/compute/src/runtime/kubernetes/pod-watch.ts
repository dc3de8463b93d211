import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { KubeModule } from './kube-clients';
import { CONTAINER_ID_LABEL, MANAGED_BY, MANAGED_BY_LABEL } from './names';

export interface PodWatchOptions {
  /** Every pod of container `id` the informer holds after a change to one of them (empty: the last one went). */
  onChange: (id: string, pods: V1Pod[]) => void;
  onError?: (error: unknown) => void;
  /** Delay before restarting after a failure the informer does not recover from by itself. */
  retryMs?: number;
}

/**
 * One list-and-watch (client-node's informer) over every pod compute manages, across the container namespaces:
 * a pod added, changed or deleted — also one deleted while the watch was down, which the informer's re-list
 * reports — calls back with that container's pods. No polling.
 */
export function watchManagedPods(module: KubeModule, kubeConfig: KubeConfig, core: CoreV1Api, options: PodWatchOptions): () => void {
  const labelSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
  const informer = module.makeInformer<V1Pod>(
    kubeConfig,
    '/api/v1/pods',
    () => core.listPodForAllNamespaces({ labelSelector }),
    labelSelector,
  );
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const changed = (pod: V1Pod) => {
    const id = pod.metadata?.labels?.[CONTAINER_ID_LABEL];
    if (!id) return;
    options.onChange(
      id,
      informer.list().filter((p) => p.metadata?.labels?.[CONTAINER_ID_LABEL] === id),
    );
  };
  informer.on('add', changed);
  informer.on('update', changed);
  informer.on('delete', changed);
  // The informer stops on an error other than a timeout or an expired resourceVersion; start it again.
  const restart = () => {
    if (stopped) return;
    retryTimer = setTimeout(() => void informer.start().catch(onError), options.retryMs ?? 2_000);
    retryTimer.unref();
  };
  const onError = (error: unknown) => {
    if (stopped) return;
    options.onError?.(error);
    restart();
  };
  informer.on('error', onError);
  informer.start().catch(onError);

  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    void informer.stop();
  };
}
