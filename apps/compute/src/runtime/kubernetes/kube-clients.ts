import type { CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';

export type KubeModule = typeof import('@kubernetes/client-node');

/** An object as the API speaks it (JSON), as the builders make it. */
export interface ApiObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
}

export interface KubeClients {
  module: KubeModule;
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  objects: KubernetesObjectApi;
}

/**
 * client-node is loaded on first use, not at import: 2.x pulls in undici 8, which throws at load time on Node < 22.19
 * (no zlib zstd), and compute must still boot on the sandbox runtime there. The failure surfaces in availability().
 */
export function lazyKubeClients(kubeConfig?: KubeConfig): () => Promise<KubeClients> {
  let loading: Promise<KubeClients> | undefined;
  return () =>
    (loading ??= import('@kubernetes/client-node')
      .then(undefined, (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(`@kubernetes/client-node does not load on Node ${process.versions.node} (2.x needs Node >= 22.19): ${detail}`);
      })
      .then((module) => {
        const config = kubeConfig ?? new module.KubeConfig();
        if (!kubeConfig) config.loadFromDefault();
        return {
          module,
          kubeConfig: config,
          core: config.makeApiClient(module.CoreV1Api),
          objects: module.KubernetesObjectApi.makeApiClient(config),
        };
      }));
}

/**
 * client-node serialises a known kind through its own model classes, where NetworkPolicy rules spell `from` as
 * `_from` (a reserved word in its generator); a plain `from` would be dropped silently. Builders speak the API's JSON.
 */
export function toClientModel<T extends ApiObject>(object: T): T {
  if (object.kind !== 'NetworkPolicy') return object;
  const copy = structuredClone(object) as T & { spec?: { ingress?: Array<Record<string, unknown>> } };
  for (const rule of copy.spec?.ingress ?? []) {
    if ('from' in rule) {
      rule['_from'] = rule['from'];
      delete rule['from'];
    }
  }
  return copy;
}

/** `123456Ki` → bytes. metrics-server reports memory in Ki; the other suffixes are handled for completeness. */
export function memoryQuantityBytes(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) return undefined;
  const factors: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(match[1]) * (match[2] ? (factors[match[2]] ?? 1) : 1));
}
