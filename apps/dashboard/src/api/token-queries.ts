import type { CreateServiceAccountTokenRequest, ScopeGrants } from '@edd/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authApi } from './clients';
import { queryKeys } from './query-keys';

export function useScopeCatalog() {
  // The catalogue only changes with a deploy.
  return useQuery({ queryKey: queryKeys.scopeCatalog, queryFn: authApi.scopeCatalog, staleTime: Infinity });
}

export function useTokens() {
  return useQuery({ queryKey: queryKeys.tokens, queryFn: authApi.listTokens });
}

// Token secrets are shown once: gcTime 0 drops a finished creation (and its secret) from the mutation cache.
export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: authApi.createToken,
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: authApi.revokeToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['auth'] }),
  });
}

export function useServiceAccounts() {
  return useQuery({ queryKey: queryKeys.serviceAccounts, queryFn: authApi.listServiceAccounts });
}

export function useCreateServiceAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: authApi.createServiceAccount,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.serviceAccounts }),
  });
}

export function useUpdateServiceAccountScopes(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (scopes: ScopeGrants) => authApi.updateServiceAccountScopes(id, scopes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.serviceAccounts }),
  });
}

export function useDeleteServiceAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: authApi.deleteServiceAccount,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.serviceAccounts }),
  });
}

export function useServiceAccountTokens(id: string) {
  return useQuery({ queryKey: queryKeys.serviceAccountTokens(id), queryFn: () => authApi.listServiceAccountTokens(id) });
}

export function useCreateServiceAccountToken(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateServiceAccountTokenRequest) => authApi.createServiceAccountToken(id, body),
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.serviceAccounts }),
  });
}
