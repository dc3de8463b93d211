// The state of the uploads of one dashboard tab, as a pure reducer: the components only render it.

export type UploadStatus = 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadItem {
  id: string;
  namespace: string;
  /** Full path inside the namespace. */
  path: string;
  size: number;
  /** Bytes the server has acknowledged or the browser has sent. */
  loaded: number;
  status: UploadStatus;
  /** Sent with tus: survives a reload (pick the same file again) and a dropped connection. */
  resumable: boolean;
  /** A previous attempt of the same file was found and continued. */
  resumed: boolean;
  error?: string;
}

export type UploadAction =
  | { type: 'started'; id: string; namespace: string; path: string; size: number; resumable: boolean }
  | { type: 'resumed'; id: string }
  | { type: 'progress'; id: string; loaded: number }
  | { type: 'succeeded'; id: string }
  | { type: 'failed'; id: string; error: string }
  | { type: 'cancelled'; id: string }
  | { type: 'dismissed'; id: string }
  | { type: 'clearedFinished' };

export function isFinished(item: UploadItem): boolean {
  return item.status !== 'uploading';
}

export function uploadQueueReducer(items: readonly UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case 'started':
      return [
        ...items.filter((item) => item.id !== action.id),
        {
          id: action.id,
          namespace: action.namespace,
          path: action.path,
          size: action.size,
          loaded: 0,
          status: 'uploading',
          resumable: action.resumable,
          resumed: false,
        },
      ];
    case 'resumed':
      return update(items, action.id, () => ({ resumed: true }));
    case 'progress':
      // Never backwards (a retried tus chunk restarts from the server's offset, which the bar already showed).
      return update(items, action.id, (item) => ({ loaded: Math.min(item.size, Math.max(item.loaded, action.loaded)) }));
    case 'succeeded':
      return update(items, action.id, (item) => ({ status: 'done', loaded: item.size }));
    case 'failed':
      return update(items, action.id, () => ({ status: 'failed', error: action.error }));
    case 'cancelled':
      return update(items, action.id, () => ({ status: 'cancelled' }));
    case 'dismissed':
      return items.filter((item) => item.id !== action.id || !isFinished(item));
    case 'clearedFinished':
      return items.filter((item) => !isFinished(item));
  }
}

/** Only uploads still running change; events that arrive after the end (a late progress after cancel) are dropped. */
function update(items: readonly UploadItem[], id: string, change: (item: UploadItem) => Partial<UploadItem>): UploadItem[] {
  let changed = false;
  const next = items.map((item) => {
    if (item.id !== id || isFinished(item)) return item;
    changed = true;
    return { ...item, ...change(item) };
  });
  return changed ? next : (items as UploadItem[]);
}

/**
 * Whole percent for the bar and its label. 100 only once the server confirmed the file: every byte sent is not yet
 * a stored file (the server still checks, syncs and renames it).
 */
export function uploadPercent(item: UploadItem): number {
  if (item.status === 'done') return 100;
  if (item.size === 0) return 0;
  return Math.min(99, Math.floor((item.loaded / item.size) * 100));
}

/** What the live region says when an upload ends (screen readers hear the end, not every percent). */
export function uploadAnnouncement(item: UploadItem): string {
  const name = item.path.split('/').pop() ?? item.path;
  switch (item.status) {
    case 'done':
      return `${name} uploaded.`;
    case 'failed':
      return `Upload of ${name} failed: ${item.error ?? 'unknown error'}`;
    case 'cancelled':
      return `Upload of ${name} cancelled.`;
    case 'uploading':
      return '';
  }
}

/** Files at least this big go through tus (resumable), smaller ones in one plain POST. */
export const RESUMABLE_THRESHOLD_BYTES = 8 * 1024 * 1024;

export function uploadMethod(size: number, threshold = RESUMABLE_THRESHOLD_BYTES): 'tus' | 'post' {
  return size >= threshold ? 'tus' : 'post';
}
