import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole, type IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding, type IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const read = (file: string) =>
  parseAllDocuments(readFileSync(fileURLToPath(new URL(`../../manifests/${file}`, import.meta.url)), 'utf8'))
    .map((doc) => doc.toJS() as { kind: string; metadata: { name: string; namespace?: string } })
    .filter(Boolean);
const compute = read('apps/compute.yaml');
const gateway = read('apps/gateway.yaml');
const all = ['rbac.yaml', 'apps/compute.yaml', 'apps/health.yaml'].flatMap(read);

const models: Record<string, new (data: never) => { validate(): void }> = {
  Deployment,
  Service,
  ServiceAccount,
  ClusterRole,
  ClusterRoleBinding,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
};
const clusterRole = (name: string) => compute.find((r) => r.kind === 'ClusterRole' && r.metadata.name === name) as IClusterRole | undefined;
const rulesOf = (role: IClusterRole | undefined) => role?.rules ?? [];

describe("compute's Kubernetes rights (manifests/apps/compute.yaml)", () => {
  it('validates every object against the Kubernetes schemas', () => {
    for (const resource of compute) {
      const Model = models[resource.kind];
      expect(Model, `a schema for ${resource.kind}`).toBeDefined();
      expect(() => new Model!(resource as never).validate(), `${resource.kind}/${resource.metadata.name}`).not.toThrow();
    }
  });

  it('grants no exec, attach, port-forward or wildcard anywhere', () => {
    for (const role of compute.filter((r) => r.kind === 'ClusterRole') as IClusterRole[]) {
      for (const rule of rulesOf(role)) {
        expect(
          rule.resources?.some((r) => /^pods\/(exec|attach|portforward)$|\*/.test(r)),
          role.metadata?.name,
        ).toBe(false);
        expect(rule.verbs).not.toContain('*');
        expect(rule.verbs).not.toContain('escalate');
      }
    }
  });

  it('can read or write Secrets only through the per-namespace role, which no ClusterRoleBinding grants', () => {
    const bindings = all.filter((r) => r.kind === 'ClusterRoleBinding') as IClusterRoleBinding[];
    const clusterWide = bindings.filter((b) => b.subjects?.some((s) => s.name === 'edd-compute')).map((b) => clusterRole(b.roleRef.name));
    expect(clusterWide.map((r) => r?.metadata?.name)).toEqual(['edd-compute-namespaces']);
    for (const role of clusterWide) expect(rulesOf(role).flatMap((r) => r.resources ?? [])).not.toContain('secrets');
    expect(bindings.some((b) => b.roleRef.name === 'edd-compute-container')).toBe(false);
    expect(rulesOf(clusterRole('edd-compute-container')).flatMap((r) => r.resources ?? [])).toContain('secrets');
  });

  it('may bind only its own per-namespace role, and the admission policy confines that to compute-* namespaces', () => {
    const bind = rulesOf(clusterRole('edd-compute-namespaces')).find((r) => r.verbs.includes('bind'));
    expect(bind?.resourceNames).toEqual(['edd-compute-container']);
    const policy = compute.find((r) => r.kind === 'ValidatingAdmissionPolicy') as unknown as {
      metadata: { name: string };
      spec: { failurePolicy: string; matchConditions: Array<{ expression: string }>; validations: Array<{ expression: string }> };
    };
    const binding = compute.find((r) => r.kind === 'ValidatingAdmissionPolicyBinding') as unknown as {
      spec: { policyName: string; validationActions: string[] };
    };
    expect(binding.spec).toEqual({ policyName: policy.metadata.name, validationActions: ['Deny'] });
    expect(policy.spec.failurePolicy).toBe('Fail');
    const account = compute.find((r) => r.kind === 'ServiceAccount')!;
    expect(policy.spec.matchConditions[0]!.expression).toContain(
      `system:serviceaccount:${account.metadata.namespace}:${account.metadata.name}`,
    );
    const validations = policy.spec.validations.map((v) => v.expression).join('\n');
    expect(validations).toContain("startsWith('compute-')");
    expect(validations).toContain("object.roleRef.name == 'edd-compute-container'");
  });

  it("points the containers' NetworkPolicy at the gateway's real namespace and pod labels", () => {
    const deployment = compute.find((r) => r.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } };
    };
    const env = Object.fromEntries(deployment.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
    const gatewayDeployment = gateway.find((r) => r.kind === 'Deployment') as unknown as {
      metadata: { namespace: string };
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    expect(env['COMPUTE_K8S_GATEWAY_NAMESPACE']).toBe(gatewayDeployment.metadata.namespace);
    for (const pair of (env['COMPUTE_K8S_GATEWAY_LABELS'] ?? '').split(',')) {
      const [key, value] = pair.split('=');
      expect(gatewayDeployment.spec.template.metadata.labels[key!]).toBe(value);
    }
  });
});
