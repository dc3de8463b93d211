import { useQuery } from '@tanstack/react-query';
import { authApi } from './clients';
import { useInvalidatingMutation } from './invalidating-mutation';
import { queryKeys } from './query-keys';

export function useUpdateProfile() {
  // The display name shows in the header and in the admin's user list.
  return useInvalidatingMutation(authApi.updateProfile, { invalidates: [queryKeys.session, queryKeys.adminUsers] });
}

export function useChangePassword() {
  // A password change ends the other sessions.
  return useInvalidatingMutation(authApi.changePassword, {
    invalidates: [queryKeys.sessions, queryKeys.adminSessions],
    secret: true,
  });
}

export function useSessions() {
  return useQuery({ queryKey: queryKeys.sessions, queryFn: authApi.listSessions });
}

export function useRevokeSessions() {
  return useInvalidatingMutation(
    async (ids: readonly string[]) => {
      await Promise.all(ids.map((id) => authApi.revokeSession(id)));
    },
    { invalidates: [queryKeys.sessions, queryKeys.adminSessions] },
  );
}
