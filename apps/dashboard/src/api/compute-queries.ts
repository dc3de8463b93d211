import type { Container, CreateContainerRequest, IngressRuleRequest } from '@edd/api-client';
import { replaceEqualDeep, useQuery, useQueryClient } from '@tanstack/react-query';
import { platform } from '../platform/platform-config';
import { newerContainer, newerContainers } from '../compute/live-messages';
import { computeUnreachable, runtimeAvailability, type RuntimeAvailability } from '../compute/runtime-availability';
import { computeApi } from './clients';
import { useInvalidatingMutation } from './invalidating-mutation';
import { queryKeys } from './query-keys';

// The list's live status comes from `WS /compute/ws` (useContainerFeed); these queries give the first state.
export function useContainers() {
  return useQuery({
    queryKey: queryKeys.containers,
    queryFn: computeApi.listContainers,
    // A refetch that read the list before a live change committed must not undo that change.
    structuralSharing: (held, fetched) => replaceEqualDeep(held, newerContainers(held as Container[] | undefined, fetched as Container[])),
  });
}

/** One container; the list's copy shows at once while the full one (with its usage) loads. */
/** The container is where its owner asked it to be (or has failed, which a person has to look at). */
function settled(container: Container): boolean {
  if (container.status === 'failed') return true;
  return container.desired_state === 'stopped' ? container.status === 'stopped' : container.status === 'running';
}

export function useContainer(id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.container(id),
    queryFn: () => computeApi.getContainer(id),
    structuralSharing: (held, fetched) => replaceEqualDeep(held, newerContainer(held as Container | undefined, fetched as Container)),
    placeholderData: () => queryClient.getQueryData<Container[]>(queryKeys.containers)?.find((c) => c.id === id),
    // Live status comes over /compute/ws; while the container is on its way to what was asked, the page also asks
    // every 2 s, so a socket that is reconnecting (with backoff) never leaves a stale status on screen.
    refetchInterval: (query) => (query.state.data && !settled(query.state.data) ? 2_000 : false),
  });
}

export function useCreateContainer() {
  return useInvalidatingMutation((body: CreateContainerRequest) => computeApi.createContainer(body), {
    invalidates: [queryKeys.containers],
  });
}

export function useContainerAction(id: string) {
  return useInvalidatingMutation(
    (action: 'start' | 'stop') => (action === 'start' ? computeApi.startContainer(id) : computeApi.stopContainer(id)),
    {
      invalidates: [queryKeys.containers, queryKeys.container(id)],
    },
  );
}

export function useDeleteContainer() {
  const queryClient = useQueryClient();
  return useInvalidatingMutation(
    async (id: string) => {
      await computeApi.deleteContainer(id);
      queryClient.removeQueries({ queryKey: queryKeys.container(id) });
    },
    { invalidates: [queryKeys.containers] },
  );
}

export function useIngressRules(id: string) {
  return useQuery({ queryKey: queryKeys.ingressRules(id), queryFn: () => computeApi.listIngress(id) });
}

export function useAddIngressRule(id: string) {
  // https_enabled of the container follows a 443 rule.
  return useInvalidatingMutation((body: IngressRuleRequest) => computeApi.putIngress(id, body), {
    invalidates: [queryKeys.ingressRules(id), queryKeys.container(id)],
  });
}

export function useDeleteIngressRule(id: string) {
  return useInvalidatingMutation((port: number) => computeApi.deleteIngress(id, port), {
    invalidates: [queryKeys.ingressRules(id), queryKeys.container(id)],
  });
}

export function useSshKeys() {
  return useQuery({ queryKey: queryKeys.sshKeys, queryFn: computeApi.listSshKeys });
}

export function useAddSshKey() {
  // A new key is trusted by every container of its owner: their key lists change too.
  return useInvalidatingMutation(computeApi.addSshKey, { invalidates: [queryKeys.sshKeys, queryKeys.containers] });
}

export function useDeleteSshKey() {
  return useInvalidatingMutation(computeApi.deleteSshKey, { invalidates: [queryKeys.sshKeys, queryKeys.containers] });
}

/** Whether compute has a container runtime (its `/readyz` `runtime` check), rechecked every 30 s while shown. */
export function useComputeRuntime() {
  return useQuery({ queryKey: queryKeys.computeRuntime, queryFn: fetchRuntimeAvailability, refetchInterval: 30_000, retry: false });
}

async function fetchRuntimeAvailability(): Promise<RuntimeAvailability> {
  let response: Response;
  try {
    response = await fetch(`${platform.urls.compute}/readyz`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return computeUnreachable;
  }
  const body: unknown = await response.json().catch(() => undefined);
  return runtimeAvailability(response.status, body);
}
