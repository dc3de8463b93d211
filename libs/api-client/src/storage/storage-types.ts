// Wire shapes of the storage service, from the zod schemas of @edd/api-contracts (the service parses request bodies
// with them). Types only: no zod in the bundle.
export type {
  AdminFileListResponse,
  CreateNamespaceRequest,
  CreateShareRequest,
  FileEntry,
  FileListQuery,
  FileListResponse,
  Namespace,
  NamespaceListResponse,
  NamespaceVisibility,
  Share,
  ShareListResponse,
  TransferDirection,
  TransferProgress,
  TusUploadMetadata,
  UpdateNamespaceRequest,
} from '@edd/api-contracts';
