import { useCallback, useEffect, useState } from 'react';
import { defaultOptions, Upload } from 'tus-js-client';
import { formatSize } from './format-size';
import { withCredentials } from './start-upload';
import { useUploads } from './uploads-context';

interface Unfinished {
  key: string;
  path: string;
  size: number | null;
  uploadUrl: string | null;
}

/**
 * Resumable uploads of this namespace that a closed or reloaded tab left unfinished (tus keeps their URLs in
 * localStorage). A browser cannot reopen a file by itself: picking the same file again continues it.
 */
export function UnfinishedUploads({ namespace }: { namespace: string }) {
  const { items } = useUploads();
  const [unfinished, setUnfinished] = useState<Unfinished[]>([]);
  const running = new Set(items.filter((item) => item.namespace === namespace && item.status === 'uploading').map((item) => item.path));

  const refresh = useCallback(() => {
    defaultOptions.urlStorage
      .findAllUploads()
      .then((uploads) =>
        setUnfinished(
          uploads
            .filter((upload) => upload.metadata.namespace === namespace && upload.metadata.path)
            .map((upload) => ({
              key: upload.urlStorageKey,
              path: upload.metadata.path ?? '',
              size: upload.size,
              uploadUrl: upload.uploadUrl,
            })),
        ),
      )
      .catch(() => setUnfinished([]));
  }, [namespace]);

  // Re-read whenever an upload starts or ends here (tus adds and removes the entries itself).
  useEffect(refresh, [refresh, items]);

  const discard = async (entry: Unfinished) => {
    // Gone already on the server (expired) is as good as terminated.
    if (entry.uploadUrl) await Upload.terminate(entry.uploadUrl, { onBeforeRequest: withCredentials }).catch(() => undefined);
    await defaultOptions.urlStorage.removeUpload(entry.key);
    refresh();
  };

  const waiting = unfinished.filter((entry) => !running.has(entry.path));
  if (waiting.length === 0) return null;
  return (
    <div className="notice notice-info" role="region" aria-label="Unfinished uploads">
      <p>
        <strong>Unfinished uploads.</strong> Open its folder and choose the same file again (with the same “Replace” setting) to continue
        where it stopped.
      </p>
      <ul className="plain-list">
        {waiting.map((entry) => (
          <li key={entry.key}>
            <span className="mono">{entry.path}</span> {entry.size !== null && <span className="muted">({formatSize(entry.size)})</span>}
            <button
              type="button"
              className="link-button"
              aria-label={`Discard unfinished upload of ${entry.path}`}
              onClick={() => void discard(entry)}
            >
              Discard
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
