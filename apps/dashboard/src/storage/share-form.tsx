import type { Share } from '@edd/api-client';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useCreateShare } from '../api/storage-queries';
import { CopyButton } from '../components/copy-button';
import { SelectField } from '../components/field';
import { useFocusPanelWhenRemoved } from '../components/panel-focus';
import { ErrorNotice } from '../components/query-state';

const HOUR = 3600;
export const shareExpiryOptions = [
  { value: String(HOUR), label: '1 hour' },
  { value: String(24 * HOUR), label: '1 day' },
  { value: String(7 * 24 * HOUR), label: '7 days' },
  { value: String(30 * 24 * HOUR), label: '30 days' },
] as const;

/** Makes a share link for one file; the link (its secret) is shown once, focused and selected, ready to copy. */
export function ShareForm({ namespace, path, onClose }: { namespace: string; path: string; onClose: () => void }) {
  const create = useCreateShare();
  const [expiresIn, setExpiresIn] = useState<string>(String(24 * HOUR));
  const [share, setShare] = useState<Share | null>(null);
  const region = useRef<HTMLDivElement>(null);
  useFocusPanelWhenRemoved(region);
  const urlId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ namespace, path, expires_in: Number(expiresIn) }, { onSuccess: setShare });
  };

  return (
    <div ref={region} className="notice notice-info share-form" role="region" aria-label={`Share ${path}`}>
      {share ? (
        <>
          <p>
            <strong>Share link for {path} created.</strong> Anyone with it can download the file until{' '}
            {new Date(share.expires_at).toLocaleString()}. Copy it now: it is not shown again.
          </p>
          <div className="field">
            <label htmlFor={urlId}>Share link</label>
            <div className="copy-row">
              <input
                id={urlId}
                readOnly
                value={share.url}
                className="mono"
                autoFocus
                spellCheck={false}
                onFocus={(e) => e.target.select()}
              />
              <CopyButton text={share.url} fallbackTargetId={urlId} label="Copy share link" />
            </div>
          </div>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Done
          </button>
        </>
      ) : (
        <form className="form-inline" onSubmit={submit} aria-label={`Share ${path} by link`}>
          <p>
            Share <span className="mono">{path}</span> by link:
          </p>
          <SelectField
            label="Link expires after"
            value={expiresIn}
            onChange={(e) => setExpiresIn(e.target.value)}
            options={shareExpiryOptions}
            autoFocus
          />
          <button type="submit" className="button" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create link'}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          {create.isError && <ErrorNotice error={create.error} />}
        </form>
      )}
    </div>
  );
}
