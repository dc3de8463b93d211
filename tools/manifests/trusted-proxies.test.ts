import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { trustedProxyMatcher } from '@edd/http';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { APP_DEPLOYMENTS } from './deployments';

interface Resource {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template?: { spec: { hostNetwork?: boolean; containers: Array<{ envFrom?: Array<{ configMapRef?: { name: string } }> }> } } };
}
const read = (file: string): Resource[] =>
  parseAllDocuments(readFileSync(fileURLToPath(new URL(`../../manifests/${file}`, import.meta.url)), 'utf8'))
    .map((doc) => doc.toJS() as Resource)
    .filter(Boolean);

const config = read('platform-config.yaml').find((r) => r.kind === 'ConfigMap' && r.metadata.name === 'edd-platform-config');
const trusted = (config?.data?.['TRUSTED_PROXIES'] ?? '').split(',').map((entry) => entry.trim());
// What a user's container may never reach (apps/compute/src/runtime/kubernetes/network-policy.ts PRIVATE_RANGES).
const unreachableFromContainers = trustedProxyMatcher(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);

/** The first and last IPv4 address of `a.b.c.d/n`. */
function bounds(cidr: string): [string, string] {
  const [ip = '', bits = '32'] = cidr.split('/');
  const value = ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = value - (value % size);
  const text = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  return [text(first), text(first + size - 1)];
}

/**
 * Issue 14 item 5: services believe X-Forwarded-For only from TRUSTED_PROXIES, whose default (loopback) is wrong
 * in a cluster, where the gateway reaches them from its pod address: the manifests must set it, and no wider.
 */
describe('TRUSTED_PROXIES in the cluster', () => {
  it('is set in the platform config, to ranges a service accepts, none of them loopback or a catch-all', () => {
    expect(trusted.filter(Boolean).length).toBeGreaterThan(0);
    expect(() => trustedProxyMatcher(trusted)).not.toThrow();
    for (const entry of trusted) {
      expect(entry, 'an IPv4 CIDR range').toMatch(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/);
      expect(Number(entry.split('/')[1]), `${entry} is narrower than a /8`).toBeGreaterThanOrEqual(8);
    }
    expect(trusted).not.toContain('loopback');
  });

  it("covers only addresses that users' containers cannot reach, so no container can forge its client address", () => {
    for (const entry of trusted) {
      for (const address of bounds(entry)) expect(unreachableFromContainers(address), `${entry}: ${address}`).toBe(true);
    }
  });

  it('reaches every app, and the gateway is on the pod network it names (not the host network)', () => {
    // The dashboard serves static files and reads no configuration.
    for (const deployment of APP_DEPLOYMENTS.filter((d) => d.requiredEnv.length > 0)) {
      const resource = findDeployment(deployment.app, deployment.k8sName);
      const pod = resource?.spec?.template?.spec;
      expect(pod, deployment.k8sName).toBeDefined();
      const refs = (pod?.containers ?? []).flatMap((c) => c.envFrom ?? []).map((e) => e.configMapRef?.name);
      expect(refs, `${deployment.k8sName} gets edd-platform-config`).toContain('edd-platform-config');
      if (deployment.app === 'gateway') expect(pod?.hostNetwork ?? false).toBe(false);
    }
  });
});

function findDeployment(app: string, name: string): Resource | undefined {
  return read(`apps/${app}.yaml`).find((r) => r.kind === 'Deployment' && r.metadata.name === name);
}
