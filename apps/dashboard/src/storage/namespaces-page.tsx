import type { Namespace, NamespaceVisibility } from '@edd/api-client';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useCreateNamespace, useDeleteNamespace, useNamespaces, useUpdateNamespace } from '../api/storage-queries';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable, type Column } from '../components/data-table';
import { Field, SelectField } from '../components/field';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';
import { formatSize } from './format-size';
import { otherVisibility, visibilityOptions } from './visibility';

export function NamespacesPage() {
  // The namespace just created: its link takes the focus once the list shows it.
  const [created, setCreated] = useState<string | null>(null);
  return (
    <>
      <Panel title="Create a namespace" description="A namespace holds files and folders. Its name is unique on the platform.">
        <CreateNamespaceForm onCreated={setCreated} />
      </Panel>
      <NamespaceList focusName={created} onFocused={() => setCreated(null)} />
    </>
  );
}

function CreateNamespaceForm({ onCreated }: { onCreated: (name: string) => void }) {
  const create = useCreateNamespace();
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<NamespaceVisibility>('private');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), visibility },
      {
        onSuccess: (namespace) => {
          setName('');
          setVisibility('private');
          onCreated(namespace.name);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Create a namespace">
      <div className="form-row">
        <Field
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value.toLowerCase())}
          required
          maxLength={63}
          pattern="[a-z0-9][a-z0-9._\-]{0,62}"
          autoComplete="off"
          spellCheck={false}
          hint="Up to 63 characters: a–z, 0–9, “.”, “_” and “-”, starting with a letter or digit."
        />
        <SelectField
          label="Visibility"
          value={visibility}
          onChange={(e) => setVisibility(e.target.value as NamespaceVisibility)}
          options={visibilityOptions}
        />
      </div>
      {create.isError && <ErrorNotice error={create.error} />}
      {create.isSuccess && (
        <p className="notice notice-success" role="status">
          Namespace {create.data.name} created.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={create.isPending || !name.trim()}>
          {create.isPending ? 'Creating…' : 'Create namespace'}
        </button>
      </div>
    </form>
  );
}

const namespaceColumns: ReadonlyArray<Column<Namespace>> = [
  {
    header: 'Visibility',
    cell: (ns) => (
      <span className={`badge ${ns.visibility === 'public' ? '' : 'badge-muted'}`}>
        {ns.visibility === 'public' ? 'Public' : 'Private'}
      </span>
    ),
  },
  { header: 'Files', cell: (ns) => ns.file_count.toLocaleString() },
  { header: 'Size', cell: (ns) => formatSize(ns.bytes) },
  { header: 'Created', cell: (ns) => formatTime(ns.created_at) },
];

function NamespaceList({ focusName, onFocused }: { focusName: string | null; onFocused: () => void }) {
  const namespaces = useNamespaces();
  const update = useUpdateNamespace();
  const remove = useDeleteNamespace();

  useEffect(() => {
    if (!focusName) return;
    const link = document.querySelector<HTMLElement>(`[data-namespace-link="${CSS.escape(focusName)}"]`);
    if (!link) return;
    link.focus();
    onFocused();
  }, [focusName, namespaces.data, onFocused]);

  return (
    <Panel title="Your namespaces">
      {update.isError && <ErrorNotice error={update.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {update.isSuccess && (
        <p className="sr-only" role="status">
          {update.data.name} is now {update.data.visibility}.
        </p>
      )}
      <QueryState query={namespaces} label="Loading namespaces…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">You have no namespaces yet.</p>
          ) : (
            <DataTable
              caption="Namespaces"
              rows={list}
              rowKey={(ns) => ns.name}
              rowHeader={{
                header: 'Name',
                cell: (ns) => (
                  <Link to={`/storage/namespaces/${encodeURIComponent(ns.name)}`} data-namespace-link={ns.name}>
                    {ns.name}
                  </Link>
                ),
              }}
              columns={namespaceColumns}
              actions={(ns) => (
                <span className="row-actions">
                  <button
                    type="button"
                    className="button button-secondary"
                    aria-label={`Make ${ns.name} ${otherVisibility(ns.visibility)}`}
                    aria-disabled={(update.isPending && update.variables.name === ns.name) || undefined}
                    onClick={() => !update.isPending && update.mutate({ name: ns.name, visibility: otherVisibility(ns.visibility) })}
                  >
                    {ns.visibility === 'public' ? 'Make private' : 'Make public'}
                  </button>
                  <ConfirmButton
                    label="Delete"
                    subject={namespaceSubject(ns)}
                    text="Delete"
                    pending={remove.isPending && remove.variables === ns.name}
                    onConfirm={() => remove.mutate(ns.name)}
                  />
                </span>
              )}
            />
          )
        }
      </QueryState>
    </Panel>
  );
}

/** "namespace docs and its 3 files": the question says what goes with it. */
function namespaceSubject(ns: Namespace): string {
  if (ns.file_count === 0) return `namespace ${ns.name}`;
  return `namespace ${ns.name} and its ${ns.file_count === 1 ? 'file' : `${ns.file_count.toLocaleString()} files`}`;
}
