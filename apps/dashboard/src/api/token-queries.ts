import type { CreateServiceAccountTokenRequest, ScopeGrants } from '@edd/api-client';
import { useQuery } from '@tanstack/react-query';
import { authApi } from './clients';
import { useInvalidatingMutation } from './invalidating-mutation';
import { queryKeys } from './query-keys';

export function useScopeCatalog() {
  // The catalogue only changes with a deploy.
  return useQuery({ queryKey: queryKeys.scopeCatalog, queryFn: authApi.scopeCatalog, staleTime: Infinity });
}

export function useTokens() {
  return useQuery({ queryKey: queryKeys.tokens, queryFn: authApi.listTokens });
}

// Token secrets are shown once: a finished creation (and its secret) leaves the mutation cache with its last observer.
export function useCreateToken() {
  return useInvalidatingMutation(authApi.createToken, { invalidates: [queryKeys.tokens], secret: true });
}

export function useRevokeToken() {
  // The token may belong to one of the user's service accounts as well.
  return useInvalidatingMutation(authApi.revokeToken, { invalidates: [queryKeys.tokens, queryKeys.serviceAccounts] });
}

export function useServiceAccounts() {
  return useQuery({ queryKey: queryKeys.serviceAccounts, queryFn: authApi.listServiceAccounts });
}

export function useCreateServiceAccount() {
  return useInvalidatingMutation(authApi.createServiceAccount, { invalidates: [queryKeys.serviceAccounts] });
}

export function useUpdateServiceAccountScopes(id: string) {
  return useInvalidatingMutation((scopes: ScopeGrants) => authApi.updateServiceAccountScopes(id, scopes), {
    invalidates: [queryKeys.serviceAccounts],
  });
}

export function useDeleteServiceAccount() {
  // Its tokens go with it ("serviceAccounts" is also the prefix of every account's token list).
  return useInvalidatingMutation(authApi.deleteServiceAccount, { invalidates: [queryKeys.serviceAccounts, queryKeys.tokens] });
}

export function useServiceAccountTokens(id: string) {
  return useQuery({ queryKey: queryKeys.serviceAccountTokens(id), queryFn: () => authApi.listServiceAccountTokens(id) });
}

export function useCreateServiceAccountToken(id: string) {
  return useInvalidatingMutation((body: CreateServiceAccountTokenRequest) => authApi.createServiceAccountToken(id, body), {
    invalidates: [queryKeys.serviceAccountTokens(id), queryKeys.tokens],
    secret: true,
  });
}
