import type { ApiTokenRecord, CreatedApiToken, ScopeGrants, TokenExpiry } from '@edd/api-client';
import { useState, type FormEvent } from 'react';
import { useCurrentUser } from '../api/session-queries';
import { useCreateToken, useRevokeToken, useTokens } from '../api/token-queries';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable, type Column } from '../components/data-table';
import { Field, SelectField } from '../components/field';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';
import { expiryOptions } from './expiry-options';
import { GrantList, ScopePicker } from './scope-picker';
import { TokenSecret } from './token-secret';

export function ApiTokensPage() {
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  return (
    <>
      <Panel title="Create an API token" description="Tokens let scripts call the platform with exactly the scopes you pick.">
        {created ? (
          <TokenSecret name={created.name} token={created.token} onDone={() => setCreated(null)} />
        ) : (
          <CreateTokenForm onCreated={setCreated} />
        )}
      </Panel>
      <TokenList />
    </>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const user = useCurrentUser();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [expiresIn, setExpiresIn] = useState<TokenExpiry>('30d');
  const [scopes, setScopes] = useState<ScopeGrants>({});
  const noScopes = Object.keys(scopes).length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), scopes, expires_in: expiresIn }, { onSuccess: onCreated });
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Create an API token">
      <div className="form-row">
        <Field label="Token name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} placeholder="ci-deploy" />
        <SelectField
          label="Expires"
          value={expiresIn}
          onChange={(e) => setExpiresIn(e.target.value as TokenExpiry)}
          options={expiryOptions}
        />
      </div>
      <ScopePicker userId={user.user_id} value={scopes} onChange={setScopes} />
      {create.isError && <ErrorNotice error={create.error} />}
      <div className="form-actions">
        <button type="submit" className="button" disabled={create.isPending || noScopes || !name.trim()}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
        {noScopes && <span className="muted">Add at least one scope.</span>}
      </div>
    </form>
  );
}

const tokenColumns: ReadonlyArray<Column<ApiTokenRecord>> = [
  { header: 'Scopes', cell: (token) => <GrantList grants={token.scopes} /> },
  { header: 'Created', cell: (token) => formatTime(token.created_at) },
  { header: 'Expires', cell: (token) => formatTime(token.expires_at, 'never') },
  { header: 'Last used', cell: (token) => formatTime(token.last_used_at, 'never') },
];

function TokenList() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  return (
    <Panel title="Your API tokens">
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      <QueryState query={tokens} label="Loading tokens…">
        {(list) => {
          const own = list.filter((t) => !t.service_account_id);
          if (own.length === 0) return <p className="muted">You have no API tokens.</p>;
          return (
            <DataTable
              caption="API tokens"
              rows={own}
              rowKey={(token) => token.id}
              rowHeader={{ header: 'Name', cell: (token) => token.name }}
              columns={tokenColumns}
              actions={(token) => (
                <ConfirmButton
                  label="Revoke"
                  subject={`token ${token.name}`}
                  pending={revoke.isPending && revoke.variables === token.id}
                  onConfirm={() => revoke.mutate(token.id)}
                />
              )}
            />
          );
        }}
      </QueryState>
    </Panel>
  );
}
