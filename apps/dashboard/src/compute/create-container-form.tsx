import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useCreateContainer, useSshKeys } from '../api/compute-queries';
import { Field, SelectField } from '../components/field';
import { ErrorNotice, QueryState } from '../components/query-state';
import { buildCreateRequest, emptyCreateForm, instanceTypeOptions, type CreateForm } from './create-request';

/** Creates a container and opens its page, where its status turns from pending to running. */
export function CreateContainerForm() {
  const create = useCreateContainer();
  const navigate = useNavigate();
  const [form, setForm] = useState<CreateForm>(emptyCreateForm);
  const [problem, setProblem] = useState<string | null>(null);
  const mountsId = useId();
  const set = <K extends keyof CreateForm>(key: K, value: CreateForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request = buildCreateRequest(form);
    if (!request.ok) return setProblem(request.error);
    setProblem(null);
    create.mutate(request.value, { onSuccess: (container) => void navigate(`/compute/containers/${encodeURIComponent(container.id)}`) });
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Create a container">
      <div className="form-row">
        <Field
          label="Name"
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          required
          maxLength={63}
          pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,62}"
          autoComplete="off"
          spellCheck={false}
          hint="Up to 63 characters: letters, digits, “.”, “_” and “-”."
        />
        <SelectField
          label="Instance type"
          value={form.instanceType}
          onChange={(e) => set('instanceType', e.target.value)}
          options={instanceTypeOptions}
        />
      </div>
      <div className="form-row">
        <Field
          label="Memory (MB)"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={form.memoryMb}
          onChange={(e) => set('memoryMb', e.target.value)}
          hint="Empty: the instance type’s default."
        />
        <Field
          label="Storage (GB)"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={form.storageGb}
          onChange={(e) => set('storageGb', e.target.value)}
          hint="Empty: the instance type’s default."
        />
      </div>
      <SshKeyChoice chosen={form.sshKeyIds} onChange={(ids) => set('sshKeyIds', ids)} />
      <div className="field">
        <label htmlFor={mountsId}>Mount paths</label>
        <textarea
          id={mountsId}
          rows={2}
          className="mono"
          value={form.mountPaths}
          onChange={(e) => set('mountPaths', e.target.value)}
          aria-describedby={`${mountsId}-hint`}
          spellCheck={false}
        />
        <p id={`${mountsId}-hint`} className="hint">
          One absolute path per line. What is written there is kept when the container stops or restarts.
        </p>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={form.sshEnabled} onChange={(e) => set('sshEnabled', e.target.checked)} />
        Allow SSH access
      </label>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {create.isError && <ErrorNotice error={create.error} />}
      <div className="form-actions">
        <button type="submit" className="button" disabled={create.isPending || !form.name.trim()}>
          {create.isPending ? 'Creating…' : 'Create container'}
        </button>
      </div>
    </form>
  );
}

/** The user's keys as checkboxes; none yet → a link to add one. */
function SshKeyChoice({ chosen, onChange }: { chosen: readonly string[]; onChange: (ids: string[]) => void }) {
  const keys = useSshKeys();
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((k) => k !== id) : [...chosen, id]);
  return (
    <fieldset className="plain-fieldset">
      <legend className="label-text">SSH keys to trust</legend>
      <QueryState query={keys} label="Loading your SSH keys…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">
              You have no SSH keys yet. <Link to="/compute/ssh-keys">Add one</Link> to reach the container over SSH (the web terminal works
              without).
            </p>
          ) : (
            <div className="checkbox-row">
              {list.map((key) => (
                <label key={key.id} className="checkbox">
                  <input type="checkbox" checked={chosen.includes(key.id)} onChange={() => toggle(key.id)} />
                  {key.name} <span className="muted mono">{key.fingerprint}</span>
                </label>
              ))}
            </div>
          )
        }
      </QueryState>
    </fieldset>
  );
}
