import type { CreatedApiToken, ScopeGrants, ServiceAccount, TokenExpiry } from '@edd/api-client';
import { useState, type FormEvent } from 'react';
import { useCurrentUser } from '../api/session-queries';
import {
  useCreateServiceAccount,
  useCreateServiceAccountToken,
  useDeleteServiceAccount,
  useServiceAccountTokens,
  useServiceAccounts,
  useUpdateServiceAccountScopes,
} from '../api/token-queries';
import { ConfirmButton } from '../components/confirm-button';
import { Field, SelectField } from '../components/field';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';
import { expiryOptions } from './expiry-options';
import { GrantList, ScopePicker } from './scope-picker';
import { TokenSecret } from './token-secret';

export function ServiceAccountsPage() {
  const accounts = useServiceAccounts();
  return (
    <>
      <Panel
        title="Create a service account"
        description="A service account holds scopes; its tokens inherit them, so rotating a token never changes what it may do."
      >
        <CreateServiceAccountForm />
      </Panel>
      <Panel title="Your service accounts">
        <QueryState query={accounts} label="Loading service accounts…">
          {(list) =>
            list.length === 0 ? (
              <p className="muted">You have no service accounts.</p>
            ) : (
              <ul className="card-list">
                {list.map((account) => (
                  <ServiceAccountCard key={account.id} account={account} />
                ))}
              </ul>
            )
          }
        </QueryState>
      </Panel>
    </>
  );
}

function CreateServiceAccountForm() {
  const user = useCurrentUser();
  const create = useCreateServiceAccount();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ScopeGrants>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), scopes },
      {
        onSuccess: () => {
          setName('');
          setScopes({});
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Create a service account">
      <Field
        label="Service account name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        maxLength={64}
        placeholder="ci-pipeline"
      />
      <ScopePicker userId={user.user_id} value={scopes} onChange={setScopes} />
      {create.isError && <ErrorNotice error={create.error} />}
      <div className="form-actions">
        <button type="submit" className="button" disabled={create.isPending || !name.trim() || Object.keys(scopes).length === 0}>
          {create.isPending ? 'Creating…' : 'Create service account'}
        </button>
      </div>
    </form>
  );
}

function ServiceAccountCard({ account }: { account: ServiceAccount }) {
  const remove = useDeleteServiceAccount();
  return (
    <li className="card" aria-label={`Service account ${account.name}`}>
      <div className="card-header">
        <h3>{account.name}</h3>
        <ConfirmButton
          label="Delete"
          subject={`service account ${account.name}`}
          pending={remove.isPending}
          onConfirm={() => remove.mutate(account.id)}
        />
      </div>
      <p className="muted">Created {formatTime(account.created_at)}. Deleting it revokes all its tokens.</p>
      {remove.isError && <ErrorNotice error={remove.error} />}
      <ServiceAccountScopes account={account} />
      <ServiceAccountTokens account={account} />
    </li>
  );
}

/** Scopes of the account; editing them changes what every one of its tokens may do. */
function ServiceAccountScopes({ account }: { account: ServiceAccount }) {
  const user = useCurrentUser();
  const update = useUpdateServiceAccountScopes(account.id);
  const [draft, setDraft] = useState<ScopeGrants | null>(null);

  if (!draft)
    return (
      <div className="subsection">
        <h4>Scopes</h4>
        <GrantList grants={account.scopes} />
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setDraft(account.scopes)}
          aria-label={`Edit scopes of ${account.name}`}
        >
          Edit scopes
        </button>
      </div>
    );

  return (
    <div className="subsection form">
      <ScopePicker userId={user.user_id} value={draft} onChange={setDraft} />
      {update.isError && <ErrorNotice error={update.error} />}
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={update.isPending || Object.keys(draft).length === 0}
          onClick={() => update.mutate(draft, { onSuccess: () => setDraft(null) })}
        >
          {update.isPending ? 'Saving…' : 'Save scopes'}
        </button>
        <button type="button" className="button button-secondary" onClick={() => setDraft(null)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function ServiceAccountTokens({ account }: { account: ServiceAccount }) {
  const tokens = useServiceAccountTokens(account.id);
  const create = useCreateServiceAccountToken(account.id);
  const [name, setName] = useState('');
  const [expiresIn, setExpiresIn] = useState<TokenExpiry>('90d');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), expires_in: expiresIn },
      {
        onSuccess: (token) => {
          setCreated(token);
          setName('');
        },
      },
    );
  };

  return (
    <div className="subsection">
      <h4>Tokens</h4>
      <QueryState query={tokens} label="Loading tokens…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No tokens yet.</p>
          ) : (
            <ul className="plain-list">
              {list.map((token) => (
                <li key={token.id}>
                  <strong>{token.name}</strong>
                  <span className="muted">
                    {' '}
                    expires {formatTime(token.expires_at, 'never')} · last used {formatTime(token.last_used_at, 'never')}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      {created ? (
        <TokenSecret
          name={created.name}
          token={created.token}
          onDone={() => {
            setCreated(null);
            create.reset(); // the mutation's result holds the secret too
          }}
        />
      ) : (
        <form className="form form-inline" onSubmit={submit} aria-label={`Create a token for ${account.name}`}>
          <Field label="New token name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
          <SelectField
            label="Expires"
            value={expiresIn}
            onChange={(e) => setExpiresIn(e.target.value as TokenExpiry)}
            options={expiryOptions}
          />
          <button type="submit" className="button" disabled={create.isPending || !name.trim()}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </form>
      )}
      {create.isError && <ErrorNotice error={create.error} />}
    </div>
  );
}
