import { createRequire } from 'node:module';
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
 * client-node is loaded on first use, not at import, so compute boots on the sandbox runtime whatever happens to it.
 * The repo pins 1.x (node-fetch): 2.x pulls in undici 8, which throws at load time on Node < 22.19 (no zlib zstd).
 * Should 2.x come back on an older Node, the failure surfaces in availability(), not as a crash.
 */
export function lazyKubeClients(kubeConfig?: KubeConfig): () => Promise<KubeClients> {
  let loading: Promise<KubeClients> | undefined;
  return () =>
    (loading ??= Promise.resolve()
      .then(preflightHttpClient)
      .then(() => import('@kubernetes/client-node'))
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
 * Loads client-node's HTTP client (undici, in 2.x) with a plain require first: on a Node it does not support, that
 * throws here, synchronously and catchably. Importing client-node itself would fail the same way but also leave an
 * unhandled rejection behind (Node's ESM loader), which would take a strict process down.
 */
function preflightHttpClient(): void {
  const fromClientNode = createRequire(createRequire(import.meta.url).resolve('@kubernetes/client-node'));
  try {
    fromClientNode('undici');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return; // a client-node that does not use undici (1.x)
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `@kubernetes/client-node cannot load on Node ${process.versions.node} (2.x needs Node >= 22.19 for undici 8): ${detail}`,
    );
  }
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
