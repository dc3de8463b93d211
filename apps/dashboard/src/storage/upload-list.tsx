import { useUploads } from './uploads-context';
import { isFinished, uploadPercent, type UploadItem } from './upload-queue';
import { formatSize } from './format-size';

/** The uploads into this namespace: a bar and a percentage each, Cancel while running, Dismiss when done. */
export function UploadList({ namespace }: { namespace: string }) {
  const { items, cancel, dismiss, clearFinished } = useUploads();
  const mine = items.filter((item) => item.namespace === namespace);
  if (mine.length === 0) return null;
  return (
    <section className="uploads" aria-label="Uploads">
      <ul className="upload-list">
        {mine.map((item) => (
          <UploadRow key={item.id} item={item} onCancel={() => cancel(item.id)} onDismiss={() => dismiss(item.id)} />
        ))}
      </ul>
      {mine.some(isFinished) && (
        <button type="button" className="link-button" onClick={clearFinished}>
          Clear finished uploads
        </button>
      )}
    </section>
  );
}

export function UploadRow({ item, onCancel, onDismiss }: { item: UploadItem; onCancel: () => void; onDismiss: () => void }) {
  const percent = uploadPercent(item);
  const label = `Upload of ${item.path}`;
  return (
    <li className={`upload-row upload-${item.status}`} data-testid="upload-row" data-path={item.path} data-status={item.status}>
      <div className="upload-name">
        <span className="mono">{item.path}</span>
        <span className="muted">
          {formatSize(item.size)}
          {item.resumable && (item.resumed ? ' · resumed' : ' · resumable')}
        </span>
      </div>
      <progress max={100} value={percent} aria-label={label} />
      <span className="upload-percent" data-testid="upload-percent">
        {percent} %
      </span>
      <span className="upload-state">{statusText(item)}</span>
      {item.status === 'uploading' ? (
        <button type="button" className="button button-secondary" aria-label={`Cancel upload of ${item.path}`} onClick={onCancel}>
          Cancel
        </button>
      ) : (
        <button type="button" className="button button-secondary" aria-label={`Dismiss upload of ${item.path}`} onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </li>
  );
}

function statusText(item: UploadItem): string {
  switch (item.status) {
    case 'uploading':
      return 'Uploading';
    case 'done':
      return 'Uploaded';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return item.error ?? 'Failed';
  }
}
