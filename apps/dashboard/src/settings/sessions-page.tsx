import type { SessionRecord } from '@edd/api-client';
import { useRevokeSessions, useSessions } from '../api/settings-queries';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable, type Column } from '../components/data-table';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';
import { describeUserAgent } from '../components/user-agent';

const device: Column<SessionRecord> = {
  header: 'Device',
  wrap: true,
  cell: (session) => (
    <>
      <span title={session.user_agent ?? undefined}>{describeUserAgent(session.user_agent)}</span>
      {session.current && <span className="badge">This session</span>}
    </>
  ),
};

const columns: ReadonlyArray<Column<SessionRecord>> = [
  { header: 'IP address', cell: (session) => session.ip || '—' },
  { header: 'Signed in', cell: (session) => formatTime(session.created_at) },
  { header: 'Last seen', cell: (session) => formatTime(session.last_seen_at) },
  { header: 'Expires', cell: (session) => formatTime(session.expires_at) },
];

export function SessionsPage() {
  const sessions = useSessions();
  const revoke = useRevokeSessions();
  const others = (sessions.data ?? []).filter((s) => !s.current).map((s) => s.id);
  const revoking = (id: string) => revoke.isPending && (revoke.variables ?? []).includes(id);

  return (
    <Panel
      title="Active sessions"
      description="Every browser or device signed in to your account."
      actions={
        others.length > 0 && (
          <ConfirmButton
            label="Revoke"
            text="Revoke other sessions"
            subject={`other sessions (${others.length})`}
            pending={revoke.isPending && others.every(revoking)}
            onConfirm={() => revoke.mutate(others)}
          />
        )
      }
    >
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      <QueryState query={sessions} label="Loading sessions…">
        {(list) => (
          <DataTable
            caption="Active sessions"
            rows={list}
            rowKey={(session) => session.id}
            rowHeader={device}
            columns={columns}
            actions={(session) =>
              !session.current && (
                <ConfirmButton
                  label="Revoke"
                  subject={`session ${describeUserAgent(session.user_agent)} started ${formatTime(session.created_at)}`}
                  pending={revoking(session.id)}
                  onConfirm={() => revoke.mutate([session.id])}
                />
              )
            }
          />
        )}
      </QueryState>
    </Panel>
  );
}
