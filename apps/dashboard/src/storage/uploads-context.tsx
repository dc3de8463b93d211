import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { queryKeys } from '../api/query-keys';
import { startUpload, type UploadHandle } from './start-upload';
import { uploadAnnouncement, uploadMethod, uploadQueueReducer, type UploadItem } from './upload-queue';

interface Uploads {
  items: readonly UploadItem[];
  /** The last upload that ended, for the live region. */
  announcement: string;
  start: (files: readonly File[], target: { namespace: string; folder: string; overwrite: boolean }) => void;
  cancel: (id: string) => void;
  dismiss: (id: string) => void;
  clearFinished: () => void;
}

const UploadsContext = createContext<Uploads | null>(null);

/** Uploads live above the Storage pages, so moving between folders and namespaces does not stop them. */
export function UploadsProvider({ children }: { children: ReactNode }) {
  const [items, dispatch] = useReducer(uploadQueueReducer, []);
  const [announcement, setAnnouncement] = useState('');
  const handles = useRef(new Map<string, UploadHandle>());
  const queryClient = useQueryClient();

  const start = useCallback<Uploads['start']>(
    (files, { namespace, folder, overwrite }) => {
      for (const file of files) {
        const id = crypto.randomUUID();
        const path = `${folder}${file.name}`;
        const resumable = uploadMethod(file.size) === 'tus';
        // Listed before the first byte goes, so every progress event finds its row.
        dispatch({ type: 'started', id, namespace, path, size: file.size, resumable });
        const base = { id, namespace, path, size: file.size, loaded: 0, resumable, resumed: false };
        const finish = (item: UploadItem) => {
          handles.current.delete(id);
          setAnnouncement(uploadAnnouncement(item));
        };
        const handle = startUpload(
          file,
          { namespace, path, overwrite },
          {
            onProgress: (loaded) => dispatch({ type: 'progress', id, loaded }),
            onResumed: () => dispatch({ type: 'resumed', id }),
            onSuccess: () => {
              dispatch({ type: 'succeeded', id });
              finish({ ...base, status: 'done' });
              void queryClient.invalidateQueries({ queryKey: queryKeys.namespaceFiles(namespace) });
              void queryClient.invalidateQueries({ queryKey: queryKeys.namespaces });
            },
            onError: (error) => {
              dispatch({ type: 'failed', id, error });
              finish({ ...base, status: 'failed', error });
            },
          },
        );
        handles.current.set(id, handle);
      }
    },
    [queryClient],
  );

  const cancel = useCallback((id: string) => {
    const handle = handles.current.get(id);
    if (!handle) return;
    handles.current.delete(id);
    handle.cancel();
    dispatch({ type: 'cancelled', id });
    setAnnouncement('Upload cancelled.');
  }, []);

  const value = useMemo<Uploads>(
    () => ({
      items,
      announcement,
      start,
      cancel,
      dismiss: (id) => dispatch({ type: 'dismissed', id }),
      clearFinished: () => dispatch({ type: 'clearedFinished' }),
    }),
    [items, announcement, start, cancel],
  );
  return <UploadsContext.Provider value={value}>{children}</UploadsContext.Provider>;
}

export function useUploads(): Uploads {
  const uploads = useContext(UploadsContext);
  if (!uploads) throw new Error('useUploads outside <UploadsProvider>');
  return uploads;
}
