import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { describe, expect, it } from 'vitest';
import { toClientModel } from './kube-clients';
import { DEFAULT_IMAGE, subPathFor } from './names';
import { buildNamespace } from './namespace';
import { buildNetworkPolicy, DEFAULT_GATEWAY_SELECTOR, PRIVATE_RANGES } from './network-policy';
import { buildPod, podSpecHash } from './pod';
import { SSHD_CAPABILITIES } from '../sshd-capabilities';
import { buildRoleBinding, DEFAULT_COMPUTE_IDENTITY } from './role-binding';
import { authorizedKeysPatch, buildSshSecret } from './secret';
import { buildService, serviceAddress } from './service';
import { sampleSpec } from '../sample-container-spec';
import { buildVolumeClaim } from './volume-claim';

const naming = { namespacePrefix: 'compute-' };
const spec = sampleSpec();
const decode = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');

describe('the objects of one container validate against the Kubernetes schemas', () => {
  const cases = [
    ['Namespace', () => new Namespace(buildNamespace(spec, naming))],
    ['RoleBinding', () => new RoleBinding(buildRoleBinding(spec, naming, DEFAULT_COMPUTE_IDENTITY))],
    ['Secret', () => new Secret(buildSshSecret(spec, naming))],
    ['PersistentVolumeClaim', () => new PersistentVolumeClaim(buildVolumeClaim(spec, { ...naming, storageClassName: 'local-path' }))],
    ['NetworkPolicy', () => new NetworkPolicy(buildNetworkPolicy(spec, { ...naming, gateway: DEFAULT_GATEWAY_SELECTOR }))],
    ['Pod', () => new Pod(buildPod(spec, naming, 'abc123'))],
    ['Service', () => new Service(buildService(spec, naming))],
  ] as const;
  for (const [kind, build] of cases) {
    it(kind, () => {
      const model = build();
      expect(() => model.validate()).not.toThrow();
      expect(model.metadata?.labels?.['edd.cloud/container-id']).toBe('a1b2c3d4');
      if (kind !== 'Namespace') expect(model.metadata?.namespace).toBe('compute-a1b2c3d4');
    });
  }

  it('and the schema check can fail: a pod with a numeric pull policy is rejected', () => {
    const pod = buildPod(spec, naming, 'abc123');
    const broken = {
      ...pod,
      spec: { ...pod.spec!, containers: [{ ...pod.spec!.containers[0]!, imagePullPolicy: 3 as unknown as 'Always' }] },
    };
    expect(() => new Pod(broken).validate()).toThrow(/imagePullPolicy/);
  });
});

describe('Namespace', () => {
  it('is labelled as compute-managed with owner and container, under Pod Security baseline', () => {
    const labels = buildNamespace(spec, naming).metadata?.labels ?? {};
    expect(labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'edd-compute',
      'edd.cloud/container-id': 'a1b2c3d4',
      'edd.cloud/owner-id': spec.ownerId,
      'pod-security.kubernetes.io/enforce': 'baseline',
    });
  });

  it('folds an owner id that is not a valid label value instead of producing an invalid object', () => {
    const namespace = new Namespace(buildNamespace(sampleSpec({ ownerId: '-user@example.com-' }), naming));
    expect(namespace.metadata?.labels?.['edd.cloud/owner-id']).toBe('user_example.com');
    expect(() => namespace.validate()).not.toThrow();
  });
});

describe('Secret', () => {
  it('holds authorized_keys one per line and both halves of the host key', () => {
    const data = buildSshSecret(spec, naming).data ?? {};
    expect(decode(data['authorized_keys'])).toBe('ssh-ed25519 AAAAuser user@laptop\nssh-ed25519 AAAAplatform edd-platform\n');
    expect(decode(data['ssh_host_ed25519_key'])).toBe(`${spec.hostKey.privateKey}\n`);
    expect(decode(data['ssh_host_ed25519_key.pub'])).toBe('ssh-ed25519 AAAAhost\n');
  });

  it('patches only authorized_keys when keys change, so the host key stays', () => {
    const patch = authorizedKeysPatch('a1b2c3d4', ['ssh-ed25519 AAAAnew'], naming);
    expect(Object.keys(patch.data ?? {})).toEqual(['authorized_keys']);
    expect(decode(patch.data?.['authorized_keys'])).toBe('ssh-ed25519 AAAAnew\n');
    expect(decode(authorizedKeysPatch('a1b2c3d4', [], naming).data?.['authorized_keys'])).toBe('');
  });
});

describe('PersistentVolumeClaim', () => {
  it('requests storageGb', () => {
    expect(buildVolumeClaim(sampleSpec({ storageGb: 12 }), naming).spec?.resources?.requests?.['storage']).toBe('12Gi');
  });
});

describe('NetworkPolicy', () => {
  const policy = buildNetworkPolicy(sampleSpec({ ingressPorts: [8080, 3000] }), { ...naming, gateway: DEFAULT_GATEWAY_SELECTOR });

  it('admits only the gateway pods (namespace AND pod selector in one peer) on 22 and the target ports', () => {
    expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec?.ingress).toHaveLength(1);
    const rule = policy.spec!.ingress![0]!;
    expect(rule.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'core' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } },
      },
    ]);
    expect(rule.ports?.map((p) => p.port)).toEqual([22, 3000, 8080]);
    expect(JSON.stringify(policy.spec?.ingress)).not.toContain('ipBlock');
  });

  it('opens the target port of a rule, not its external port (the original opened 80 for 80→8080)', () => {
    // The spec only carries target ports: a rule 80 → 8080 arrives as 8080.
    const ports = buildNetworkPolicy(sampleSpec({ ingressPorts: [8080] }), { ...naming, gateway: DEFAULT_GATEWAY_SELECTOR }).spec!
      .ingress![0]!.ports!;
    expect(ports.map((p) => p.port)).toEqual([22, 8080]);
  });

  it('takes a configured gateway selector', () => {
    const custom = buildNetworkPolicy(spec, { ...naming, gateway: { namespace: 'edge', podLabels: { app: 'gw' } } });
    expect(custom.spec!.ingress![0]!.from![0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } },
      podSelector: { matchLabels: { app: 'gw' } },
    });
  });

  it('lets out DNS to kube-dns only, and the internet but no private, CGNAT or link-local range', () => {
    const [dns, internet] = policy.spec!.egress!;
    expect(dns!.to).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ]);
    expect(dns!.ports?.every((p) => p.port === 53)).toBe(true);
    expect(internet!.to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: [...PRIVATE_RANGES] } }]);
    for (const range of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'])
      expect(PRIVATE_RANGES).toContain(range);
    expect(policy.spec!.egress).toHaveLength(2);
  });

  it("is sent to client-node with `_from`, its model's spelling, and the API's JSON stays untouched", () => {
    const model = toClientModel(policy) as unknown as { spec: { ingress: Array<Record<string, unknown>> } };
    expect(model.spec.ingress[0]!['_from']).toEqual(policy.spec!.ingress![0]!.from);
    expect(model.spec.ingress[0]!['from']).toBeUndefined();
    expect(policy.spec!.ingress![0]!.from).toBeDefined();
  });
});

describe('Pod', () => {
  const pod = buildPod(spec, naming, 'abc123');
  const container = pod.spec!.containers[0]!;

  it('mounts no service-account token and runs under the RuntimeDefault seccomp profile', () => {
    expect(pod.spec?.automountServiceAccountToken).toBe(false);
    expect(pod.spec?.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    expect(pod.spec?.hostNetwork ?? false).toBe(false);
  });

  it('drops every capability and adds back only what sshd needs, all within Pod Security baseline', () => {
    const baseline = [
      'AUDIT_WRITE',
      'CHOWN',
      'DAC_OVERRIDE',
      'FOWNER',
      'FSETID',
      'KILL',
      'MKNOD',
      'NET_BIND_SERVICE',
      'SETFCAP',
      'SETGID',
      'SETPCAP',
      'SETUID',
      'SYS_CHROOT',
    ];
    expect(container.securityContext?.capabilities?.drop).toEqual(['ALL']);
    expect(container.securityContext?.capabilities?.add).toEqual([...SSHD_CAPABILITIES]);
    for (const capability of container.securityContext?.capabilities?.add ?? []) expect(baseline).toContain(capability);
    expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext?.privileged).toBe(false);
  });

  it('requests exactly its limits for cpu and memory', () => {
    expect(container.resources?.requests).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(container.resources?.limits).toEqual(container.resources?.requests);
  });

  it('mounts each mount path from the one claim with its own subPath, and the Secret read-only', () => {
    const claimVolume = pod.spec!.volumes!.find((v) => v.persistentVolumeClaim?.claimName === 'storage')!;
    const mounts = container.volumeMounts!.filter((m) => m.name === claimVolume.name);
    expect(mounts.map((m) => [m.mountPath, m.subPath])).toEqual([
      ['/root', 'mounts/root'],
      ['/srv/data', 'mounts/srv/data'],
    ]);
    const secretVolume = pod.spec!.volumes!.find((v) => v.secret?.secretName === 'ssh')!;
    expect(container.volumeMounts!.find((m) => m.name === secretVolume.name)).toMatchObject({ mountPath: '/etc/edd/ssh', readOnly: true });
  });

  it('gives distinct mount paths distinct subPaths (the original mapped /a-b and /a/b to the same one) and refuses ..', () => {
    expect(subPathFor('/a-b')).not.toBe(subPathFor('/a/b'));
    expect(() => subPathFor('/srv/../etc')).toThrow();
    expect(() => subPathFor('relative')).toThrow();
  });

  it('uses the spec image and pull policy, with a pinned default instead of :latest', () => {
    expect(container.image).toBe(spec.image);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(buildPod(sampleSpec({ pullPolicy: 'Always' }), naming, 'x').spec!.containers[0]!.imagePullPolicy).toBe('Always');
    expect(buildPod(sampleSpec({ image: '' }), naming, 'x').spec!.containers[0]!.image).toBe(DEFAULT_IMAGE);
    expect(DEFAULT_IMAGE).toMatch(/:\d+\.\d+\.\d+$/);
  });

  it('changes its spec hash for a new image or limits, not for new keys or ports (those need no restart)', () => {
    const base = podSpecHash(spec);
    expect(podSpecHash(sampleSpec({ memoryMb: 1024 }))).not.toBe(base);
    expect(podSpecHash(sampleSpec({ image: 'registry.example/other:2' }))).not.toBe(base);
    expect(podSpecHash(sampleSpec({ authorizedKeys: ['ssh-ed25519 AAAAother'], ingressPorts: [9000] }))).toBe(base);
    expect(pod.metadata?.annotations?.['edd.cloud/spec-hash']).toBe(base);
    expect(pod.metadata?.name).toBe(`c-${base}-abc123`);
  });
});

describe('Service', () => {
  const service = buildService(spec, naming);

  it('is a ClusterIP on 22 and the target ports, selecting the pod, and never a LoadBalancer', () => {
    expect(service.spec?.type).toBe('ClusterIP');
    expect(service.spec?.ports?.map((p) => [p.port, p.targetPort])).toEqual([
      [22, 22],
      [3000, 3000],
      [8080, 8080],
    ]);
    expect(JSON.stringify(service)).not.toMatch(/LoadBalancer|NodePort|externalIPs/);
    const podLabels = buildPod(spec, naming, 'x').metadata?.labels ?? {};
    for (const [key, value] of Object.entries(service.spec?.selector ?? {})) expect(podLabels[key]).toBe(value);
  });

  it('is reached at its cluster DNS name', () => {
    expect(serviceAddress('a1b2c3d4', naming)).toBe('container.compute-a1b2c3d4.svc.cluster.local');
  });
});

describe('RoleBinding', () => {
  it("binds compute's per-container ClusterRole in this namespace only, to compute's ServiceAccount", () => {
    const binding = buildRoleBinding(spec, naming, DEFAULT_COMPUTE_IDENTITY);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edd-compute-container' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', namespace: 'core', name: 'edd-compute' }]);
  });
});
