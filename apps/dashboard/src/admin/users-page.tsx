import type { AdminUser } from '@edd/api-client';
import { useState, type FormEvent } from 'react';
import { useAdminUsers, useCreateUser, useDeleteUser } from '../api/admin-queries';
import { useCurrentUser } from '../api/session-queries';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable, type Column } from '../components/data-table';
import { Field } from '../components/field';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';

const userColumns: ReadonlyArray<Column<AdminUser>> = [
  { header: 'Display name', cell: (user) => user.display_name },
  { header: 'Role', cell: (user) => (user.is_admin ? 'Admin' : 'User') },
  { header: 'Created', cell: (user) => formatTime(user.created_at) },
];

export function UsersPage() {
  const me = useCurrentUser();
  const users = useAdminUsers();
  const remove = useDeleteUser();
  return (
    <>
      <Panel title="Create a user">
        <CreateUserForm />
      </Panel>
      <Panel title="Users">
        {remove.isError && <ErrorNotice error={remove.error} />}
        <QueryState query={users} label="Loading users…">
          {(list) => (
            <DataTable
              caption="Users"
              rows={list}
              rowKey={(user) => user.user_id}
              rowHeader={{ header: 'Username', cell: (user) => user.username }}
              columns={userColumns}
              actions={(user) =>
                user.user_id === me.user_id ? (
                  <span className="muted">You</span>
                ) : (
                  <ConfirmButton
                    label="Delete"
                    subject={`user ${user.username}`}
                    pending={remove.isPending && remove.variables === user.user_id}
                    onConfirm={() => remove.mutate(user.user_id)}
                  />
                )
              }
            />
          )}
        </QueryState>
      </Panel>
    </>
  );
}

function CreateUserForm() {
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { username: username.trim(), display_name: displayName.trim() || undefined, password, is_admin: isAdmin },
      {
        onSuccess: () => {
          setUsername('');
          setDisplayName('');
          setPassword('');
          setIsAdmin(false);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Create a user">
      <div className="form-row">
        <Field
          label="Username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          autoComplete="off"
          pattern="[a-z0-9_.\-]{3,32}"
          hint="3–32 characters: a–z, 0–9, “_”, “.” or “-”."
        />
        <Field
          label="Display name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          autoComplete="off"
          maxLength={64}
          hint="Optional; defaults to the username."
        />
        <Field
          label="Initial password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={8}
          autoComplete="new-password"
          hint="At least 8 characters."
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
        Administrator
      </label>
      {create.isError && <ErrorNotice error={create.error} />}
      {create.isSuccess && (
        <p className="notice notice-success" role="status">
          User {create.data?.username ?? ''} created.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
