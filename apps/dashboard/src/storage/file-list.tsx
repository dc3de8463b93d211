import type { FileEntry, Namespace } from '@edd/api-client';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { storageApi } from '../api/clients';
import { useDeleteFile, useFolder } from '../api/storage-queries';
import { ConfirmButton } from '../components/confirm-button';
import { CopyButton } from '../components/copy-button';
import { DataTable, type Column } from '../components/data-table';
import { formatTime } from '../components/format-time';
import { ErrorNotice, QueryState } from '../components/query-state';
import { formatSize } from './format-size';
import { folderName, subfolderPrefix } from './folder-path';
import { ShareForm } from './share-form';

type Row = { kind: 'folder'; prefix: string; name: string } | { kind: 'file'; file: FileEntry };

const columns: ReadonlyArray<Column<Row>> = [
  { header: 'Size', cell: (row) => (row.kind === 'file' ? formatSize(row.file.size) : '—') },
  { header: 'Modified', cell: (row) => (row.kind === 'file' ? formatTime(row.file.modified_at) : '—') },
  { header: 'Type', wrap: true, cell: (row) => (row.kind === 'file' ? row.file.content_type : 'Folder') },
];

/** The folders and files directly in `prefix`, page by page, with their actions. */
export function FileList({ namespace, prefix, hrefOf }: { namespace: Namespace; prefix: string; hrefOf: (prefix: string) => string }) {
  const folder = useFolder(namespace.name, prefix);
  const remove = useDeleteFile(namespace.name);
  const [sharing, setSharing] = useState<string | null>(null);

  return (
    <div className="file-list">
      <h3>Contents</h3>
      {remove.isError && <ErrorNotice error={remove.error} />}
      {sharing && <ShareForm namespace={namespace.name} path={sharing} onClose={() => setSharing(null)} />}
      <QueryState query={folder} label="Loading files…">
        {(data) => {
          const rows: Row[] = [
            ...data.pages.flatMap((page) =>
              page.folders.map((entry): Row => {
                const target = subfolderPrefix(prefix, entry);
                return { kind: 'folder', prefix: target, name: folderName(target) };
              }),
            ),
            ...data.pages.flatMap((page) => page.files.map((file): Row => ({ kind: 'file', file }))),
          ];
          if (rows.length === 0) return <p className="muted">This folder is empty. Upload files to add them.</p>;
          return (
            <>
              <DataTable
                caption={`Files in ${namespace.name}/${prefix}`}
                rows={rows}
                rowKey={(row) => (row.kind === 'folder' ? `d:${row.prefix}` : `f:${row.file.path}`)}
                rowHeader={{
                  header: 'Name',
                  wrap: true,
                  cell: (row) =>
                    row.kind === 'folder' ? (
                      <Link to={hrefOf(row.prefix)} className="folder-link">
                        <span aria-hidden="true">📁 </span>
                        {row.name}/
                      </Link>
                    ) : (
                      <span data-testid="file-name">{row.file.name}</span>
                    ),
                }}
                columns={columns}
                actions={(row) =>
                  row.kind === 'file' && (
                    <span className="row-actions">
                      <a
                        className="button button-secondary"
                        href={storageApi.downloadUrl(namespace.name, row.file.path)}
                        download={row.file.name}
                        aria-label={`Download ${row.file.name}`}
                      >
                        Download
                      </a>
                      {namespace.visibility === 'public' && (
                        <CopyButton
                          text={storageApi.fileUrl(namespace.name, row.file.path)}
                          label={`Copy public URL of ${row.file.name}`}
                          buttonText="Copy URL"
                        />
                      )}
                      <button
                        type="button"
                        className="button button-secondary"
                        aria-label={`Share ${row.file.name} by link`}
                        onClick={() => setSharing(row.file.path)}
                      >
                        Share
                      </button>
                      <ConfirmButton
                        label="Delete"
                        subject={`file ${row.file.name}`}
                        text="Delete"
                        pending={remove.isPending && remove.variables === row.file.path}
                        onConfirm={() => remove.mutate(row.file.path)}
                      />
                    </span>
                  )
                }
              />
              {folder.hasNextPage && (
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={folder.isFetchingNextPage}
                  onClick={() => void folder.fetchNextPage()}
                >
                  {folder.isFetchingNextPage ? 'Loading…' : 'Show more'}
                </button>
              )}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
