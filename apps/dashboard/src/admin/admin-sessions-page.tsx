import { useAdminSessions } from '../api/admin-queries';
import { formatTime } from '../components/format-time';
import { describeUserAgent } from '../components/user-agent';
import { Panel } from '../components/panel';
import { QueryState } from '../components/query-state';

export function AdminSessionsPage() {
  const sessions = useAdminSessions();
  return (
    <Panel title="Active sessions" description="Every signed-in session on the platform.">
      <QueryState query={sessions} label="Loading sessions…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No active sessions.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">All active sessions</caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Device</th>
                    <th scope="col">IP address</th>
                    <th scope="col">Signed in</th>
                    <th scope="col">Expires</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((session) => (
                    <tr key={session.id}>
                      <th scope="row">{session.username ?? session.user_id}</th>
                      <td data-label="Device" className="wrap">
                        <span title={session.user_agent ?? undefined}>{describeUserAgent(session.user_agent)}</span>
                      </td>
                      <td data-label="IP address">{session.ip || '—'}</td>
                      <td data-label="Signed in">{formatTime(session.created_at)}</td>
                      <td data-label="Expires">{formatTime(session.expires_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </Panel>
  );
}
