import type { Share } from '@edd/api-client';
import { Link } from 'react-router-dom';
import { useRevokeShare, useShares } from '../api/storage-queries';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable, type Column } from '../components/data-table';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';

const shareColumns: ReadonlyArray<Column<Share>> = [
  {
    header: 'Namespace',
    cell: (share) => <Link to={`/storage/namespaces/${encodeURIComponent(share.namespace)}`}>{share.namespace}</Link>,
  },
  { header: 'Created', cell: (share) => formatTime(share.created_at) },
  { header: 'Expires', cell: (share) => formatTime(share.expires_at) },
];

export function SharesPage() {
  const shares = useShares();
  const revoke = useRevokeShare();
  return (
    <Panel
      title="Share links"
      description="Each link lets anyone who holds it download one file until it expires. A link is shown once, when it is made: use Share in a namespace’s file list."
    >
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      <QueryState query={shares} label="Loading share links…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">You have no active share links.</p>
          ) : (
            <DataTable
              caption="Share links"
              rows={list}
              rowKey={(share) => share.id}
              rowHeader={{ header: 'File', wrap: true, cell: (share) => <span className="mono">{share.path}</span> }}
              columns={shareColumns}
              actions={(share) => (
                <ConfirmButton
                  label="Revoke"
                  subject={`share link to ${share.path}`}
                  text="Revoke"
                  pending={revoke.isPending && revoke.variables === share.id}
                  onConfirm={() => revoke.mutate(share.id)}
                />
              )}
            />
          )
        }
      </QueryState>
    </Panel>
  );
}
