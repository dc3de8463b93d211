import { useId, useRef, useState, type DragEvent } from 'react';
import { UnfinishedUploads } from './unfinished-uploads';
import { UploadList } from './upload-list';
import { useUploads } from './uploads-context';

/** Pick or drop files into the folder shown; each gets its own progress row. */
export function UploadArea({ namespace, prefix }: { namespace: string; prefix: string }) {
  const { start } = useUploads();
  const picker = useRef<HTMLInputElement>(null);
  const overwriteId = useId();
  const [overwrite, setOverwrite] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [skipped, setSkipped] = useState<string[]>([]);

  const send = (files: readonly File[]) => {
    if (files.length > 0) start(files, { namespace, folder: prefix, overwrite });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files: File[] = [];
    const folders: string[] = [];
    // A dropped folder arrives as a File that cannot be read: name it instead of failing its upload.
    for (const item of Array.from(event.dataTransfer.items)) {
      if (item.kind !== 'file') continue;
      const entry = item.webkitGetAsEntry?.();
      const file = item.getAsFile();
      if (entry?.isDirectory) folders.push(entry.name);
      else if (file) files.push(file);
    }
    setSkipped(folders);
    send(files);
  };

  return (
    <div className="upload-area">
      <div
        className={`drop-zone ${dragging ? 'dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p>
          Drop files here to upload them to <strong>{prefix || 'the top folder'}</strong>, or
        </p>
        <button type="button" className="button" onClick={() => picker.current?.click()}>
          Choose files…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Files to upload"
          onChange={(event) => {
            send(Array.from(event.target.files ?? []));
            // Picking the same file again (to resume it) must fire change again.
            event.target.value = '';
          }}
        />
        <label className="checkbox" htmlFor={overwriteId}>
          <input id={overwriteId} type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
          Replace files that already exist
        </label>
      </div>
      {skipped.length > 0 && (
        <p className="notice notice-info" role="status">
          Folders cannot be uploaded by dropping ({skipped.join(', ')}): open the folder and pick its files.
        </p>
      )}
      <UnfinishedUploads namespace={namespace} />
      <UploadList namespace={namespace} />
    </div>
  );
}
