import { useRef, useState } from 'react';
import { useFocusPanelWhenRemoved } from './panel-focus';

interface ConfirmButtonProps {
  /** The action, e.g. "Revoke". */
  label: string;
  /** What is being acted on, for screen readers and the question: "Revoke token ci-deploy?". */
  subject: string;
  /** Visible text of the first button when the label alone would be ambiguous on screen. */
  text?: string;
  onConfirm: () => void;
  pending?: boolean;
  disabled?: boolean;
}

/** A destructive action asks once more inline (no modal; stays keyboard- and screen-reader-friendly). */
export function ConfirmButton({ label, subject, text, onConfirm, pending, disabled }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  // After "Cancel" or "Yes" the trigger comes back focused, so keyboard users stay where they were.
  const [answered, setAnswered] = useState(false);
  const slot = useRef<HTMLSpanElement>(null);
  useFocusPanelWhenRemoved(slot);

  const answer = (confirmed: boolean) => {
    setAnswered(true);
    setAsking(false);
    if (confirmed) onConfirm();
  };

  return (
    <span className="confirm-slot" ref={slot}>
      {asking ? (
        <span className="confirm" role="group" aria-label={`Confirm: ${label.toLowerCase()} ${subject}`}>
          <span className="confirm-question">
            {label} {subject}?
          </span>
          <button type="button" className="button button-danger" autoFocus onClick={() => answer(true)}>
            Yes, {label.toLowerCase()}
          </button>
          <button type="button" className="button button-secondary" onClick={() => answer(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button button-danger-outline"
          // aria-disabled, not disabled, while pending: a disabled button drops the keyboard focus.
          disabled={disabled}
          aria-disabled={pending || undefined}
          aria-label={`${label} ${subject}`}
          autoFocus={answered}
          onClick={() => !pending && setAsking(true)}
        >
          {pending ? `${label}…` : (text ?? label)}
        </button>
      )}
    </span>
  );
}
