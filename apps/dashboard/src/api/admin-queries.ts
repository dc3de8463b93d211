import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authApi } from './clients';
import { queryKeys } from './query-keys';

export function useAdminUsers() {
  return useQuery({ queryKey: queryKeys.adminUsers, queryFn: authApi.admin.listUsers });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: authApi.admin.createUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.adminUsers }),
  });
}

export function useDeleteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: authApi.admin.deleteUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['auth', 'admin'] }),
  });
}

export function useAdminSessions() {
  return useQuery({ queryKey: queryKeys.adminSessions, queryFn: authApi.admin.listSessions });
}
