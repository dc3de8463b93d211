import { useEffect, useState } from 'react';

/** Copies `text`; falls back to selecting the element named by `fallbackTargetId` when the Clipboard API is refused. */
export function CopyButton({ text, fallbackTargetId }: { text: string; fallbackTargetId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      const target = fallbackTargetId ? document.getElementById(fallbackTargetId) : null;
      if (target instanceof HTMLInputElement) target.select();
      setState('failed');
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="sr-only" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Copy failed: the text is selected, press Ctrl+C' : ''}
      </span>
    </>
  );
}
