import type { ScopeAction, ScopeGrants } from '@edd/api-client';
import { useId, useRef, useState } from 'react';
import { useScopeCatalog } from '../api/token-queries';
import { SelectField } from '../components/field';
import { QueryState } from '../components/query-state';
import {
  actionsFor,
  addGrant,
  buildScope,
  describeScope,
  isValidResourceId,
  normaliseCatalog,
  removeGrant,
  type CatalogRoot,
} from './scope-model';

interface ScopePickerProps {
  userId: string;
  value: ScopeGrants;
  onChange: (grants: ScopeGrants) => void;
}

/** Builds `<root>.<own user id>[.<resource>[.<id>]]` grants from the auth service's catalogue. */
export function ScopePicker(props: ScopePickerProps) {
  const catalog = useScopeCatalog();
  return (
    <fieldset className="scope-picker">
      <legend>Scopes</legend>
      <QueryState query={catalog} label="Loading the scope catalogue…">
        {(raw) => <ScopeBuilder {...props} roots={normaliseCatalog(raw)} />}
      </QueryState>
    </fieldset>
  );
}

function ScopeBuilder({ userId, value, onChange, roots }: ScopePickerProps & { roots: CatalogRoot[] }) {
  const idFieldId = useId();
  const [rootName, setRootName] = useState(roots[0]?.name ?? '');
  const [resource, setResource] = useState('');
  const [resourceId, setResourceId] = useState('');
  const [actions, setActions] = useState<ScopeAction[]>(['read']);
  const addButton = useRef<HTMLButtonElement>(null);

  const root = roots.find((r) => r.name === rootName);
  const allowed = actionsFor(root, resource || undefined);
  const chosen = actions.filter((a) => allowed.includes(a));
  const idProblem = resourceId && !isValidResourceId(resourceId) ? 'Letters, digits, "-" and "_" only.' : '';
  const scope =
    root && !idProblem ? buildScope(root.name, userId, resource || undefined, resource ? resourceId || undefined : undefined) : '';

  if (roots.length === 0) return <p className="muted">The auth service offers no scopes.</p>;

  const toggle = (action: ScopeAction) =>
    setActions((current) => (current.includes(action) ? current.filter((a) => a !== action) : [...current, action]));

  return (
    <>
      <div className="form-row">
        <SelectField
          label="Service"
          value={rootName}
          onChange={(e) => {
            setRootName(e.target.value);
            setResource('');
            setResourceId('');
          }}
          options={roots.map((r) => ({ value: r.name, label: r.name }))}
        />
        <SelectField
          label="Resource"
          value={resource}
          onChange={(e) => {
            setResource(e.target.value);
            if (!e.target.value) setResourceId('');
          }}
          options={[
            { value: '', label: `Everything in ${rootName}` },
            ...(root?.resources ?? []).map((r) => ({ value: r.name, label: r.name })),
          ]}
        />
        <div className="field">
          <label htmlFor={idFieldId}>Resource ID (optional)</label>
          <input
            id={idFieldId}
            value={resourceId}
            disabled={!resource}
            placeholder={resource ? 'all of them' : 'pick a resource first'}
            aria-invalid={Boolean(idProblem)}
            aria-describedby={idProblem ? `${idFieldId}-error` : undefined}
            onChange={(e) => setResourceId(e.target.value.trim())}
          />
          {idProblem && (
            <p id={`${idFieldId}-error`} className="field-error">
              {idProblem}
            </p>
          )}
        </div>
      </div>
      <div className="checkbox-row" role="group" aria-label="Actions">
        <span className="label-text">Actions</span>
        {allowed.map((action) => (
          <label key={action} className="checkbox">
            <input type="checkbox" checked={chosen.includes(action)} onChange={() => toggle(action)} />
            {action}
          </label>
        ))}
      </div>
      <div className="scope-preview">
        <code>{scope || '—'}</code>
        <button
          ref={addButton}
          type="button"
          className="button button-secondary"
          disabled={!scope || chosen.length === 0}
          onClick={() => onChange(addGrant(value, scope, chosen))}
        >
          Add scope
        </button>
      </div>
      {/* Polite live region: adding or removing a scope is announced, the focus stays on the button. */}
      <div aria-live="polite">
        <GrantList
          grants={value}
          label="Chosen scopes"
          onRemove={(s) => {
            onChange(removeGrant(value, s));
            addButton.current?.focus(); // the Remove button that had the focus is gone
          }}
        />
      </div>
    </>
  );
}

export function GrantList({
  grants,
  onRemove,
  label = 'Scopes',
}: {
  grants: ScopeGrants;
  onRemove?: (scope: string) => void;
  label?: string;
}) {
  const entries = Object.entries(grants);
  if (entries.length === 0) return <p className="muted">No scopes yet.</p>;
  return (
    <ul className="grant-list" aria-label={label}>
      {entries.map(([scope, actions]) => (
        <li key={scope}>
          <code>{scope}</code> <span className="muted">({describeScope(scope)})</span>: {actions.join(', ')}
          {onRemove && (
            <button type="button" className="link-button" aria-label={`Remove scope ${scope}`} onClick={() => onRemove(scope)}>
              Remove
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
