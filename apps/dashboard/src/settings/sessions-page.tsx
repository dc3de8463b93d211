import { useRevokeSessions, useSessions } from '../api/settings-queries';
import { ConfirmButton } from '../components/confirm-button';
import { formatTime } from '../components/format-time';
import { describeUserAgent } from '../components/user-agent';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';

export function SessionsPage() {
  const sessions = useSessions();
  const revoke = useRevokeSessions();
  const others = (sessions.data ?? []).filter((s) => !s.current).map((s) => s.id);

  return (
    <Panel
      title="Active sessions"
      description="Every browser or device signed in to your account."
      actions={
        others.length > 0 && (
          <ConfirmButton label="Revoke" text="Revoke other sessions" subject={`other sessions (${others.length})`} pending={revoke.isPending} onConfirm={() => revoke.mutate(others)} />
        )
      }
    >
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      <QueryState query={sessions} label="Loading sessions…">
        {(list) => (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Active sessions</caption>
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">IP address</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((session) => (
                  <tr key={session.id}>
                    <th scope="row" className="wrap">
                      <span title={session.user_agent ?? undefined}>{describeUserAgent(session.user_agent)}</span>
                      {session.current && <span className="badge">This session</span>}
                    </th>
                    <td data-label="IP address">{session.ip || '—'}</td>
                    <td data-label="Signed in">{formatTime(session.created_at)}</td>
                    <td data-label="Last seen">{formatTime(session.last_seen_at)}</td>
                    <td data-label="Expires">{formatTime(session.expires_at)}</td>
                    <td>
                      {!session.current && (
                        <ConfirmButton label="Revoke" subject={`session ${describeUserAgent(session.user_agent)} started ${formatTime(session.created_at)}`} pending={revoke.isPending} onConfirm={() => revoke.mutate([session.id])} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </Panel>
  );
}
