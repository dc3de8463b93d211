import { useQuery } from '@tanstack/react-query';
import { authApi } from './clients';
import { useInvalidatingMutation } from './invalidating-mutation';
import { queryKeys } from './query-keys';

export function useAdminUsers() {
  return useQuery({ queryKey: queryKeys.adminUsers, queryFn: authApi.admin.listUsers });
}

export function useCreateUser() {
  return useInvalidatingMutation(authApi.admin.createUser, { invalidates: [queryKeys.adminUsers], secret: true });
}

export function useDeleteUser() {
  // Deleting a user also ends their sessions.
  return useInvalidatingMutation(authApi.admin.deleteUser, { invalidates: [queryKeys.adminUsers, queryKeys.adminSessions] });
}

export function useAdminSessions() {
  return useQuery({ queryKey: queryKeys.adminSessions, queryFn: authApi.admin.listSessions });
}
