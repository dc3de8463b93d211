import { useState, type FormEvent } from 'react';
import { useCurrentUser } from '../api/session-queries';
import { useChangePassword, useUpdateProfile } from '../api/settings-queries';
import { Field } from '../components/field';
import { Panel } from '../components/panel';
import { ErrorNotice } from '../components/query-state';

export function ProfilePage() {
  return (
    <>
      <DisplayNameForm />
      <PasswordForm />
    </>
  );
}

function DisplayNameForm() {
  const user = useCurrentUser();
  const update = useUpdateProfile();
  const [displayName, setDisplayName] = useState(user.display_name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ display_name: displayName.trim() });
  };

  return (
    <Panel title="Profile" description={`Signed in as ${user.username}.`}>
      <form className="form" onSubmit={submit} aria-label="Profile">
        <Field
          label="Display name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          required
          maxLength={64}
          autoComplete="name"
        />
        {update.isError && <ErrorNotice error={update.error} />}
        {update.isSuccess && (
          <p className="notice notice-success" role="status">
            Display name saved.
          </p>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="button"
            disabled={update.isPending || !displayName.trim() || displayName.trim() === user.display_name}
          >
            {update.isPending ? 'Saving…' : 'Save display name'}
          </button>
        </div>
      </form>
    </Panel>
  );
}

function PasswordForm() {
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm.length > 0 && next !== confirm;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setConfirm('');
        },
      },
    );
  };

  return (
    <Panel title="Password" description="Changing your password signs out every other session.">
      <form className="form" onSubmit={submit} aria-label="Change password">
        <Field
          label="Current password"
          type="password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
          autoComplete="current-password"
        />
        <Field
          label="New password"
          type="password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          required
          minLength={8}
          autoComplete="new-password"
          hint="At least 8 characters."
        />
        <Field
          label="Repeat new password"
          type="password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          required
          autoComplete="new-password"
          aria-invalid={mismatch}
          hint={mismatch ? 'The passwords do not match.' : undefined}
        />
        {change.isError && <ErrorNotice error={change.error} />}
        {change.isSuccess && (
          <p className="notice notice-success" role="status">
            Password changed. Your other sessions were signed out.
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button" disabled={change.isPending || mismatch}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </Panel>
  );
}
