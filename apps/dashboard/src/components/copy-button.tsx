import { useEffect, useState } from 'react';

/**
 * Copies `text`; falls back to selecting the element named by `fallbackTargetId` when the Clipboard API is refused.
 * `label` names what is copied for screen readers when several Copy buttons share a page ("Copy public URL of a.txt").
 */
export function CopyButton({
  text,
  fallbackTargetId,
  label,
  buttonText = 'Copy',
}: {
  text: string;
  fallbackTargetId?: string;
  label?: string;
  buttonText?: string;
}) {
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
      <button type="button" className="button" aria-label={label} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : buttonText}
      </button>
      <span className="sr-only" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Copy failed: the text is selected, press Ctrl+C' : ''}
      </span>
    </>
  );
}
