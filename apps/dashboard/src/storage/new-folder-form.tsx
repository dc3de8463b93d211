import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { folderNameProblem } from './folder-path';

/**
 * Folders exist through the files in them (object storage keys), so "New folder" opens an empty folder to upload
 * into; it shows in the listing once a file is there.
 */
export function NewFolderForm({ prefix, hrefOf }: { prefix: string; hrefOf: (prefix: string) => string }) {
  const navigate = useNavigate();
  const id = useId();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = folderNameProblem(name);
    setProblem(found);
    if (found) return;
    setName('');
    navigate(hrefOf(`${prefix}${name.trim()}/`));
  };

  return (
    <form className="form-inline" onSubmit={submit} aria-label="New folder">
      <div className="field">
        <label htmlFor={id}>New folder</label>
        <input
          id={id}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
        />
        {problem && (
          <p id={`${id}-error`} className="field-error">
            {problem}
          </p>
        )}
      </div>
      <button type="submit" className="button button-secondary">
        Open folder
      </button>
    </form>
  );
}
