import type { FileListResponse, UpdateNamespaceRequest } from '@edd/api-client';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { storageApi } from './clients';
import { useInvalidatingMutation } from './invalidating-mutation';
import { queryKeys } from './query-keys';

export function useNamespaces() {
  return useQuery({ queryKey: queryKeys.namespaces, queryFn: storageApi.listNamespaces });
}

export function useCreateNamespace() {
  return useInvalidatingMutation(storageApi.createNamespace, { invalidates: [queryKeys.namespaces] });
}

export function useUpdateNamespace() {
  return useInvalidatingMutation(({ name, ...body }: UpdateNamespaceRequest & { name: string }) => storageApi.updateNamespace(name, body), {
    invalidates: [queryKeys.namespaces],
  });
}

export function useDeleteNamespace() {
  const queryClient = useQueryClient();
  // Its files and their share links go with it.
  return useInvalidatingMutation(
    async (name: string) => {
      await storageApi.deleteNamespace(name);
      queryClient.removeQueries({ queryKey: queryKeys.namespaceFiles(name) });
    },
    { invalidates: [queryKeys.namespaces, queryKeys.shares] },
  );
}

/** One folder of a namespace (`delimiter=/`), page by page. */
export function useFolder(namespace: string, prefix: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.files(namespace, prefix),
    queryFn: ({ pageParam }) => storageApi.listFiles({ namespace, prefix, delimiter: '/', cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: FileListResponse) => page.next_cursor ?? undefined,
  });
}

export function useDeleteFile(namespace: string) {
  // The namespace's file count and size change too; its share links of that file die with it.
  return useInvalidatingMutation((path: string) => storageApi.deleteFile(namespace, path), {
    invalidates: [queryKeys.namespaceFiles(namespace), queryKeys.namespaces, queryKeys.shares],
  });
}

export function useShares() {
  return useQuery({ queryKey: queryKeys.shares, queryFn: storageApi.listShares });
}

// The new link's secret is shown once: it leaves the mutation cache with its last observer.
export function useCreateShare() {
  return useInvalidatingMutation(storageApi.createShare, { invalidates: [queryKeys.shares], secret: true });
}

export function useRevokeShare() {
  return useInvalidatingMutation(storageApi.revokeShare, { invalidates: [queryKeys.shares] });
}
