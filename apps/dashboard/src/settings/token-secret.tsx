import { useId, useRef } from 'react';
import { CopyButton } from '../components/copy-button';
import { useFocusPanelWhenRemoved } from '../components/panel-focus';

/** The one moment a token's secret is visible: it takes the focus, selected, ready to copy. */
export function TokenSecret({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const id = useId();
  const region = useRef<HTMLDivElement>(null);
  useFocusPanelWhenRemoved(region);
  return (
    <div ref={region} className="notice notice-success" role="region" aria-label="New token">
      <p>
        <strong>Token “{name}” created.</strong> Copy it now: <strong>you won’t see it again.</strong>
      </p>
      <div className="field">
        <label htmlFor={id}>Token value</label>
        <div className="copy-row">
          <input
            id={id}
            readOnly
            value={token}
            className="mono"
            autoFocus
            spellCheck={false}
            autoComplete="off"
            onFocus={(e) => e.target.select()}
          />
          <CopyButton text={token} fallbackTargetId={id} />
        </div>
      </div>
      <button type="button" className="button button-secondary" onClick={onDone}>
        Done, I stored it
      </button>
    </div>
  );
}
