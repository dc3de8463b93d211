import { useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useNamespaces } from '../api/storage-queries';
import { QueryState } from '../components/query-state';
import { BreadcrumbNav } from './breadcrumb-nav';
import { FileList } from './file-list';
import { normalisePrefix } from './folder-path';
import { NewFolderForm } from './new-folder-form';
import { UploadArea } from './upload-area';

/** `/storage/namespaces/:namespace?prefix=a/b/`: one folder of a namespace, its uploads and its files. */
export function FileBrowserPage() {
  const { namespace = '' } = useParams();
  const [params] = useSearchParams();
  const prefix = normalisePrefix(params.get('prefix'));
  const namespaces = useNamespaces();
  const heading = useRef<HTMLHeadingElement>(null);
  const hrefOf = (target: string) =>
    `/storage/namespaces/${encodeURIComponent(namespace)}${target ? `?${new URLSearchParams({ prefix: target }).toString()}` : ''}`;

  // Opening a folder replaces the link that was followed: the focus goes to the new folder's heading, not to <body>.
  const shownPrefix = useRef(prefix);
  useEffect(() => {
    if (shownPrefix.current === prefix) return;
    shownPrefix.current = prefix;
    heading.current?.focus();
  }, [prefix]);

  return (
    <QueryState query={namespaces} label="Loading namespace…">
      {(list) => {
        const ns = list.find((candidate) => candidate.name === namespace);
        if (!ns) {
          return (
            <div className="notice notice-error" role="alert">
              <p>There is no namespace “{namespace}” among yours.</p>
              <p>
                <Link to="/storage">Back to your namespaces</Link>
              </p>
            </div>
          );
        }
        return (
          <section className="panel" aria-labelledby="folder-heading">
            <header className="panel-header">
              <div>
                <h2 id="folder-heading" tabIndex={-1} ref={heading}>
                  {prefix ? `Folder ${prefix}` : `Namespace ${ns.name}`}
                </h2>
                <p className="muted">
                  {ns.visibility === 'public'
                    ? 'Public namespace: anyone with a file’s URL can read it.'
                    : 'Private namespace: only you can read its files (or whoever holds a share link).'}
                </p>
                <BreadcrumbNav namespace={ns.name} prefix={prefix} hrefOf={hrefOf} />
              </div>
            </header>
            <NewFolderForm prefix={prefix} hrefOf={hrefOf} />
            <UploadArea namespace={ns.name} prefix={prefix} />
            <FileList namespace={ns} prefix={prefix} hrefOf={hrefOf} />
          </section>
        );
      }}
    </QueryState>
  );
}
