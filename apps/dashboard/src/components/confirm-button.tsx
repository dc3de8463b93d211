import { useState } from 'react';

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
  // After "Cancel" the trigger comes back focused, so keyboard users stay where they were.
  const [cancelled, setCancelled] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        className="button button-danger-outline"
        disabled={disabled || pending}
        aria-label={`${label} ${subject}`}
        autoFocus={cancelled}
        onClick={() => setAsking(true)}
      >
        {pending ? `${label}…` : (text ?? label)}
      </button>
    );
  return (
    <span className="confirm" role="group" aria-label={`Confirm: ${label.toLowerCase()} ${subject}`}>
      <span className="confirm-question">
        {label} {subject}?
      </span>
      <button
        type="button"
        className="button button-danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => {
          setCancelled(true);
          setAsking(false);
        }}
      >
        Cancel
      </button>
    </span>
  );
}
