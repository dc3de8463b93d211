import type { AdminSessionRecord } from '@edd/api-client';
import { useAdminSessions } from '../api/admin-queries';
import { DataTable, type Column } from '../components/data-table';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { QueryState } from '../components/query-state';
import { describeUserAgent } from '../components/user-agent';

const columns: ReadonlyArray<Column<AdminSessionRecord>> = [
  { header: 'Device', wrap: true, cell: (s) => <span title={s.user_agent ?? undefined}>{describeUserAgent(s.user_agent)}</span> },
  { header: 'IP address', cell: (s) => s.ip || '—' },
  { header: 'Signed in', cell: (s) => formatTime(s.created_at) },
  { header: 'Expires', cell: (s) => formatTime(s.expires_at) },
];

export function AdminSessionsPage() {
  const sessions = useAdminSessions();
  return (
    <Panel title="Active sessions" description="Every signed-in session on the platform.">
      <QueryState query={sessions} label="Loading sessions…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No active sessions.</p>
          ) : (
            <DataTable
              caption="All active sessions"
              rows={list}
              rowKey={(s) => s.id}
              rowHeader={{ header: 'User', cell: (s) => s.username ?? s.user_id }}
              columns={columns}
            />
          )
        }
      </QueryState>
    </Panel>
  );
}
