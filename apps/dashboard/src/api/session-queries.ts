import { isApiError, type LoginRequest, type SessionInfo } from '@edd/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authApi } from './clients';
import { useInvalidatingMutation } from './invalidating-mutation';
import { queryKeys } from './query-keys';

/** `GET /api/session` decides: a SessionInfo when signed in, `null` when the service says 401. */
export function useSession() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: async (): Promise<SessionInfo | null> => {
      try {
        return await authApi.session();
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** The signed-in user; only call below <RequireSession>, which guarantees one. */
export function useCurrentUser(): SessionInfo {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser outside a signed-in route');
  return data;
}

export function useSignIn() {
  // The cookie is set now; ask the service for the full session (it carries the session id).
  return useInvalidatingMutation(
    async (credentials: LoginRequest): Promise<void> => {
      // The response repeats the session JWT; the HttpOnly cookie holds it, so it is never kept in script memory.
      await authApi.login(credentials);
    },
    { invalidates: [queryKeys.session], secret: true },
  );
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: authApi.logout,
    onSettled: () => {
      // Drop everything the previous user could see, then mark the session as gone.
      queryClient.clear();
      queryClient.setQueryData(queryKeys.session, null);
    },
  });
}
