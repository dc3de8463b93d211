import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { CoreV1Api, KubeConfig, KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { ContainerRuntime, ContainerSpec, LogOptions, RuntimeAvailability, RuntimeState, RuntimeUsage } from '../container-runtime';
import { linesOf } from '../text-lines';
import { lazyKubeClients, type ApiObject, type KubeModule, memoryQuantityBytes, toClientModel } from './kube-clients';
import { describeKubeError, statusOf, unlessNotFound } from './kube-errors';
import {
  DEFAULT_NAMESPACE_PREFIX,
  FIELD_MANAGER,
  idFromNamespace,
  KEYS_HASH_ANNOTATION,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  namespaceFor,
  OBJECT_NAMES,
  selectorString,
  SPEC_HASH_ANNOTATION,
  type NamingOptions,
} from './names';
import { buildNamespace } from './namespace';
import { buildNetworkPolicy, DEFAULT_GATEWAY_SELECTOR, type GatewaySelector } from './network-policy';
import { buildPod, podSpecHash } from './pod';
import { currentPod, stateFromObjects } from './pod-state';
import { watchManagedPods } from './pod-watch';
import { buildRoleBinding, DEFAULT_COMPUTE_IDENTITY, type ComputeIdentity } from './role-binding';
import { authorizedKeysFile, authorizedKeysPatch, buildSshSecret } from './secret';
import { buildService, serviceAddress } from './service';
import { buildVolumeClaim } from './volume-claim';

export interface KubernetesRuntimeOptions {
  /** Defaults to KUBECONFIG, ~/.kube/config, then the in-cluster ServiceAccount (client-node's loadFromDefault). */
  kubeConfig?: KubeConfig;
  namespacePrefix?: string;
  gatewaySelector?: GatewaySelector;
  /** The StorageClass of the volumes; the cluster's default when unset. */
  storageClassName?: string;
  /** Whom each container namespace's RoleBinding grants compute's rights to; null when the kubeconfig is an admin's. */
  computeIdentity?: ComputeIdentity | null;
  /** How long availability() waits for the API server. */
  probeTimeoutMs?: number;
}

const REMEDY =
  'Set KUBECONFIG to a kubeconfig whose cluster answers (kubectl get ns works), or run compute in the cluster with the ' +
  'edd-compute ServiceAccount of manifests/apps/compute.yaml; or use COMPUTE_RUNTIME=sandbox.';

const NODE_REMEDY =
  'Run compute on Node >= 22.19 (what @kubernetes/client-node 2 needs), or pin @kubernetes/client-node to ^1.4 (it runs on ' +
  'Node 20 with the same API); or use COMPUTE_RUNTIME=sandbox.';

const sameState = (a: RuntimeState | undefined, b: RuntimeState) =>
  !!a && a.phase === b.phase && a.message === b.message && a.restarts === b.restarts && a.address === b.address;

export function createKubernetesRuntime(options: KubernetesRuntimeOptions = {}): ContainerRuntime {
  const clients = lazyKubeClients(options.kubeConfig);
  const naming: NamingOptions = { namespacePrefix: options.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX };
  const gateway = options.gatewaySelector ?? DEFAULT_GATEWAY_SELECTOR;
  const identity = options.computeIdentity === undefined ? DEFAULT_COMPUTE_IDENTITY : options.computeIdentity;
  const managedSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
  const podSelector = (id: string) => selectorString({ [MANAGED_BY_LABEL]: MANAGED_BY, 'edd.cloud/container-id': id });
  const watchers = new Set<(state: RuntimeState) => void>();
  let stopWatch: (() => void) | undefined;
  let watchStarting = false;
  const lastSeen = new Map<string, RuntimeState>();

  /** Server-side apply: compute owns the fields it sends, and forcing takes them back from a hand edit. */
  const apply = async (object: ApiObject): Promise<KubernetesObject> => {
    const { objects, module } = await clients();
    return objects.patch(
      toClientModel(object) as KubernetesObject,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      module.PatchStrategy.ServerSideApply,
    );
  };

  const mergePatch = async (object: ApiObject): Promise<KubernetesObject> => {
    const { objects, module } = await clients();
    return objects.patch(object as KubernetesObject, undefined, undefined, FIELD_MANAGER, undefined, module.PatchStrategy.MergePatch);
  };

  const listPods = async (id: string) => {
    const { core } = await clients();
    return (await core.listNamespacedPod({ namespace: namespaceFor(id, naming), labelSelector: podSelector(id) })).items;
  };

  async function inspect(id: string): Promise<RuntimeState> {
    const { core } = await clients();
    const namespace = await unlessNotFound(core.readNamespace({ name: namespaceFor(id, naming) }));
    const pods = namespace ? await listPods(id) : [];
    return stateFromObjects(id, namespace, pods, serviceAddress(id, naming));
  }

  /** The RoleBinding gives compute its rights in the namespace; the API server may need a moment to honour it. */
  async function applyRetryingForbidden(object: ApiObject): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await apply(object);
        return;
      } catch (error) {
        if (statusOf(error) !== 403 || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      }
    }
  }

  function emit(state: RuntimeState) {
    if (sameState(lastSeen.get(state.id), state)) return;
    lastSeen.set(state.id, state);
    for (const listener of watchers) listener(state);
  }

  function startWatch(kubeConfig: KubeConfig, module: KubeModule, core: CoreV1Api) {
    stopWatch = watchManagedPods(module, kubeConfig, core, {
      onChange: (id, pods) => {
        if (pods.length > 0) {
          // A pod exists, so its namespace does (deleting a namespace deletes its pods first).
          emit(stateFromObjects(id, { metadata: { name: namespaceFor(id, naming) } }, pods, serviceAddress(id, naming)));
        } else {
          // The last pod went: stopped, or absent if the namespace is going too.
          inspect(id).then(emit, () => undefined);
        }
      },
    });
  }

  return {
    name: 'kubernetes',

    async availability(): Promise<RuntimeAvailability> {
      const timeoutMs = options.probeTimeoutMs ?? 3_000;
      let timer: NodeJS.Timeout | undefined;
      let server = '(not loaded)';
      try {
        const { kubeConfig, module } = await clients();
        server = kubeConfig.getCurrentCluster()?.server ?? '(no cluster configured)';
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        await Promise.race([kubeConfig.makeApiClient(module.VersionApi).getCode(), timeout]);
        // Answering is not enough: compute must be allowed to make namespaces (manifests/apps/compute.yaml).
        const review = await Promise.race([
          kubeConfig.makeApiClient(module.AuthorizationV1Api).createSelfSubjectAccessReview({
            body: { spec: { resourceAttributes: { verb: 'create', resource: 'namespaces' } } },
          }),
          timeout,
        ]);
        if (!review.status?.allowed) {
          return {
            available: false,
            reason: `Kubernetes API ${server}: this identity may not create namespaces`,
            remedy:
              'Apply manifests/apps/compute.yaml (ServiceAccount edd-compute and its ClusterRoles), or use a kubeconfig with those rights.',
          };
        }
        return { available: true };
      } catch (error) {
        const reason = `Kubernetes API ${server}: ${describeKubeError(error)}`;
        return { available: false, reason, remedy: /needs Node/.test(reason) ? NODE_REMEDY : REMEDY };
      } finally {
        clearTimeout(timer);
      }
    },

    async apply(spec: ContainerSpec): Promise<RuntimeState> {
      await apply(buildNamespace(spec, naming));
      if (identity) await apply(buildRoleBinding(spec, naming, identity));
      await applyRetryingForbidden(buildSshSecret(spec, naming));
      await apply(buildVolumeClaim(spec, { ...naming, storageClassName: options.storageClassName }));
      await apply(buildNetworkPolicy(spec, { ...naming, gateway }));
      await apply(buildService(spec, naming));

      const hash = podSpecHash(spec);
      const pods = await listPods(spec.id);
      const usable = (pod: V1Pod) =>
        !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Failed' && pod.metadata?.annotations?.[SPEC_HASH_ANNOTATION] === hash;
      let keep: { metadata?: { name?: string } } | undefined = currentPod(pods.filter(usable));
      const { core } = await clients();
      if (!keep) keep = await apply(buildPod(spec, naming, randomBytes(3).toString('hex')));
      // Pods of an older spec (or evicted ones) go; the new one starts beside them.
      for (const pod of pods) {
        if (pod.metadata?.name === keep.metadata?.name || pod.metadata?.deletionTimestamp) continue;
        await unlessNotFound(core.deleteNamespacedPod({ name: pod.metadata?.name ?? '', namespace: namespaceFor(spec.id, naming) }));
      }
      return inspect(spec.id);
    },

    async stop(id: string): Promise<RuntimeState> {
      const { core } = await clients();
      const namespace = namespaceFor(id, naming);
      if (await unlessNotFound(core.readNamespace({ name: namespace }))) {
        await unlessNotFound(core.deleteCollectionNamespacedPod({ namespace, labelSelector: podSelector(id) }));
      }
      return inspect(id);
    },

    async remove(id: string): Promise<void> {
      const { core } = await clients();
      // Deleting the namespace cascades to every object in it, the volume included.
      await unlessNotFound(core.deleteNamespace({ name: namespaceFor(id, naming) }));
      lastSeen.delete(id);
    },

    inspect,

    async list(): Promise<RuntimeState[]> {
      const { core } = await clients();
      const namespaces = (await core.listNamespace({ labelSelector: managedSelector })).items;
      const pods = (await core.listPodForAllNamespaces({ labelSelector: managedSelector })).items;
      return namespaces.flatMap((namespace) => {
        const id = idFromNamespace(namespace.metadata?.name ?? '', naming);
        if (!id) return [];
        const own = pods.filter((pod) => pod.metadata?.namespace === namespace.metadata?.name);
        return [stateFromObjects(id, namespace, own, serviceAddress(id, naming))];
      });
    },

    async setAuthorizedKeys(id: string, lines: string[]): Promise<void> {
      // No Secret (no namespace yet): the next apply writes the keys with everything else.
      if (!(await unlessNotFound(mergePatch(authorizedKeysPatch(id, lines, naming))))) return;
      // The kubelet refreshes a mounted Secret on its periodic sync (up to ~1 min); a pod update makes it sync that pod,
      // and its volumes, sooner (not yet measured on a cluster). The entrypoint copies the file within 2 s of a change.
      const keysHash = createHash('sha256').update(authorizedKeysFile(lines)).digest('hex').slice(0, 16);
      for (const pod of await listPods(id)) {
        if (pod.metadata?.deletionTimestamp) continue;
        await unlessNotFound(
          mergePatch({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: pod.metadata?.name, namespace: namespaceFor(id, naming), annotations: { [KEYS_HASH_ANNOTATION]: keysHash } },
          }),
        );
      }
    },

    async usage(id: string): Promise<RuntimeUsage> {
      // Memory from metrics-server when the cluster has it; a PVC does not report its use without node proxy rights.
      try {
        const { kubeConfig, module } = await clients();
        const metrics = await new module.Metrics(kubeConfig).getPodMetrics(namespaceFor(id, naming));
        const memory = metrics.items.flatMap((pod) => pod.containers).find((c) => c.name === OBJECT_NAMES.container)?.usage.memory;
        return { memoryBytes: memory === undefined ? undefined : memoryQuantityBytes(memory) };
      } catch {
        return {};
      }
    },

    async *logs(id: string, logOptions: LogOptions): AsyncIterable<string> {
      const pod = currentPod(await listPods(id));
      if (!pod?.metadata?.name) return;
      const { kubeConfig, module } = await clients();
      const stream = new PassThrough();
      const request = await new module.Log(kubeConfig).log(namespaceFor(id, naming), pod.metadata.name, OBJECT_NAMES.container, stream, {
        follow: logOptions.follow,
        tailLines: logOptions.tail,
      });
      const abort = () => request.abort();
      logOptions.signal.addEventListener('abort', abort, { once: true });
      try {
        yield* linesOf(stream, logOptions.signal);
      } finally {
        logOptions.signal.removeEventListener('abort', abort);
        request.abort();
      }
    },

    watch(onChange: (state: RuntimeState) => void): () => void {
      watchers.add(onChange);
      if (!stopWatch && !watchStarting) {
        watchStarting = true;
        clients().then(
          ({ kubeConfig, module, core }) => {
            watchStarting = false;
            if (watchers.size > 0 && !stopWatch) startWatch(kubeConfig, module, core);
          },
          () => (watchStarting = false),
        );
      }
      return () => {
        watchers.delete(onChange);
        if (watchers.size === 0) {
          stopWatch?.();
          stopWatch = undefined;
        }
      };
    },

    async close(): Promise<void> {
      watchers.clear();
      stopWatch?.();
      stopWatch = undefined;
    },
  };
}
