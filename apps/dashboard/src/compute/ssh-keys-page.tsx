import type { SshKey } from '@edd/api-client';
import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useAddSshKey, useDeleteSshKey, useSshKeys } from '../api/compute-queries';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable, type Column } from '../components/data-table';
import { Field } from '../components/field';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';
import { firstKeyLine, MAX_PUBLIC_KEY_BYTES, publicKeyFileProblem, suggestedKeyName } from './public-key-file';

const keyColumns: ReadonlyArray<Column<SshKey>> = [
  { header: 'Type', cell: (key) => `${key.type} · ${key.bits} bits` },
  { header: 'Fingerprint', cell: (key) => <span className="mono">{key.fingerprint}</span>, wrap: true },
  { header: 'Added', cell: (key) => formatTime(key.created_at) },
];

export function SshKeysPage() {
  return (
    <>
      <Panel
        title="Add an SSH key"
        description="Paste a public key (ed25519, ecdsa, or rsa of 2048 bits or more) or load a .pub file. Every one of your containers trusts it within seconds."
      >
        <AddSshKeyForm />
      </Panel>
      <SshKeyList />
    </>
  );
}

function AddSshKeyForm() {
  const add = useAddSshKey();
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const keyId = useId();
  const fileId = useId();
  const keyField = useRef<HTMLTextAreaElement>(null);

  const load = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const problem = publicKeyFileProblem(file);
    setFileProblem(problem ?? null);
    if (problem) return;
    const line = firstKeyLine(await file.text());
    setPublicKey(line);
    if (!name.trim()) setName(suggestedKeyName(line, file.name));
    keyField.current?.focus();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { name: name.trim(), public_key: publicKey.trim() },
      {
        onSuccess: () => {
          setName('');
          setPublicKey('');
          // The disabled submit button would drop the focus: back to the first field for the next key.
          keyField.current?.focus();
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Add an SSH key">
      <div className="field">
        <label htmlFor={keyId}>Public key</label>
        <textarea
          id={keyId}
          ref={keyField}
          rows={3}
          className="mono"
          value={publicKey}
          maxLength={MAX_PUBLIC_KEY_BYTES}
          onChange={(e) => setPublicKey(e.target.value)}
          onBlur={() => !name.trim() && setName(suggestedKeyName(publicKey))}
          placeholder="ssh-ed25519 AAAA… you@laptop"
          spellCheck={false}
          required
        />
      </div>
      <div className="field">
        <label htmlFor={fileId}>Or load a .pub file</label>
        <input id={fileId} type="file" accept=".pub,text/plain" onChange={(e) => void load(e)} />
      </div>
      {fileProblem && (
        <p className="notice notice-error" role="alert">
          {fileProblem}
        </p>
      )}
      <Field
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        maxLength={100}
        autoComplete="off"
        hint="To tell your keys apart, e.g. “work laptop”."
      />
      {add.isError && <ErrorNotice error={add.error} />}
      {add.isSuccess && (
        <p className="notice notice-success" role="status">
          Key {add.data.name} added ({add.data.fingerprint}).
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={add.isPending || !name.trim() || !publicKey.trim()}>
          {add.isPending ? 'Adding…' : 'Add key'}
        </button>
      </div>
    </form>
  );
}

function SshKeyList() {
  const keys = useSshKeys();
  const remove = useDeleteSshKey();
  return (
    <Panel title="Your SSH keys">
      {remove.isError && <ErrorNotice error={remove.error} />}
      <QueryState query={keys} label="Loading SSH keys…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">You have no SSH keys yet.</p>
          ) : (
            <DataTable
              caption="SSH keys"
              rows={list}
              rowKey={(key) => key.id}
              rowHeader={{ header: 'Name', cell: (key) => key.name }}
              columns={keyColumns}
              actions={(key) => (
                <ConfirmButton
                  label="Delete"
                  subject={`SSH key ${key.name}`}
                  text="Delete"
                  pending={remove.isPending && remove.variables === key.id}
                  onConfirm={() => remove.mutate(key.id)}
                />
              )}
            />
          )
        }
      </QueryState>
    </Panel>
  );
}
