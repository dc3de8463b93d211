import { createJsonClient, segment, type ClientOptions } from '../json-client';
import type {
  AddSshKeyRequest,
  AdminContainer,
  AdminContainerListResponse,
  ComputeImagesResponse,
  Container,
  ContainerListResponse,
  CreateContainerRequest,
  IngressRule,
  IngressRuleListResponse,
  IngressRuleRequest,
  MountsResponse,
  PullPolicy,
  PullPolicyResponse,
  SshKey,
  SshKeyListResponse,
  SshSettingResponse,
} from './compute-types';

const containerPath = (id: string, rest = '') => `/compute/containers/${segment(id)}${rest}`;

/** Typed client for the compute API (session cookie or Bearer token). */
export function createComputeApi(options: ClientOptions) {
  const { request } = createJsonClient(options);
  return {
    listContainers: async () => (await request<ContainerListResponse>('GET', '/compute/containers')).containers,
    createContainer: (body: CreateContainerRequest) => request<Container>('POST', '/compute/containers', body),
    getContainer: (id: string) => request<Container>('GET', containerPath(id)),
    deleteContainer: (id: string) => request<void>('DELETE', containerPath(id)),
    startContainer: (id: string) => request<Container>('POST', containerPath(id, '/start')),
    stopContainer: (id: string) => request<Container>('POST', containerPath(id, '/stop')),
    setPullPolicy: (id: string, pullPolicy: PullPolicy) =>
      request<PullPolicyResponse>('PUT', containerPath(id, '/pull-policy'), { pull_policy: pullPolicy }),
    getSsh: (id: string) => request<SshSettingResponse>('GET', containerPath(id, '/ssh')),
    /** SSH on/off; `sshKeyIds` replaces the keys the container trusts (omitted: unchanged). */
    setSsh: (id: string, sshEnabled: boolean, sshKeyIds?: string[]) =>
      request<SshSettingResponse>('PUT', containerPath(id, '/ssh'), {
        ssh_enabled: sshEnabled,
        ...(sshKeyIds ? { ssh_key_ids: sshKeyIds } : {}),
      }),
    listIngress: async (id: string) => (await request<IngressRuleListResponse>('GET', containerPath(id, '/ingress'))).rules,
    putIngress: (id: string, body: IngressRuleRequest) => request<IngressRule>('POST', containerPath(id, '/ingress'), body),
    deleteIngress: (id: string, port: number) => request<void>('DELETE', containerPath(id, `/ingress/${port}`)),
    getMounts: (id: string) => request<MountsResponse>('GET', containerPath(id, '/mounts')),
    setMounts: (id: string, mountPaths: string[]) =>
      request<MountsResponse>('PUT', containerPath(id, '/mounts'), { mount_paths: mountPaths }),
    listImages: () => request<ComputeImagesResponse>('GET', '/compute/images'),
    listSshKeys: async () => (await request<SshKeyListResponse>('GET', '/compute/ssh-keys')).ssh_keys,
    addSshKey: (body: AddSshKeyRequest) => request<SshKey>('POST', '/compute/ssh-keys', body),
    deleteSshKey: (id: string) => request<void>('DELETE', `/compute/ssh-keys/${segment(id)}`),
    adminListContainers: async (): Promise<AdminContainer[]> =>
      (await request<AdminContainerListResponse>('GET', '/compute/admin/containers')).containers,
    /** `WS /compute/ws` on this base URL (authenticate with a `?ticket=` from auth's `POST /api/tickets`). */
    liveUrl: (ticket?: string) =>
      `${options.baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/compute/ws${ticket ? `?ticket=${encodeURIComponent(ticket)}` : ''}`,
  };
}

export type ComputeApi = ReturnType<typeof createComputeApi>;
