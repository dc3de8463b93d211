import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

interface InvalidatingMutationOptions {
  /** Cache keys (or key prefixes) the mutation changes; refetched once it succeeds. */
  invalidates: readonly QueryKey[];
  /** The variables or the response carry a password or token: drop the mutation from the cache as soon as nobody observes it. */
  secret?: boolean;
}

/** A mutation that refreshes exactly the queries it changed once it succeeds. */
export function useInvalidatingMutation<TData, TVariables = void>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  { invalidates, secret = false }: InvalidatingMutationOptions,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    ...(secret ? { gcTime: 0 } : {}),
    onSuccess: () => Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
