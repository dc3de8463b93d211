import { hasErrorCode } from '@edd/api-client';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useSignIn } from '../api/session-queries';
import { errorMessage } from '../components/error-message';
import { Field } from '../components/field';
import { Loading } from '../components/query-state';

export function SignInPage() {
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const passwordField = useRef<HTMLInputElement>(null);
  // The fieldset is disabled while signing in, which drops the focus: after a failure it goes back to the password.
  useEffect(() => {
    if (signIn.isError) passwordField.current?.select();
  }, [signIn.isError]);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (session.isPending)
    return (
      <main className="sign-in">
        <Loading label="Checking your session…" />
      </main>
    );
  if (session.data) return <Navigate to={from} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ username: username.trim(), password }, { onSuccess: () => navigate(from, { replace: true }) });
  };
  const failure = signIn.isError
    ? hasErrorCode(signIn.error, 'invalid_login')
      ? 'Wrong username or password.'
      : errorMessage(signIn.error)
    : null;

  return (
    <main className="sign-in">
      <form className="sign-in-card form" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" /> edd cloud
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        <fieldset disabled={signIn.isPending} className="plain-fieldset">
          <Field
            label="Username"
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
            autoFocus
          />
          <Field
            ref={passwordField}
            label="Password"
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
          {failure && (
            <p className="notice notice-error" role="alert">
              {failure}
            </p>
          )}
          <button type="submit" className="button button-block">
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </fieldset>
      </form>
    </main>
  );
}
