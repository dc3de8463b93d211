import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../api/session-queries';
import { ErrorNotice, Loading } from '../components/query-state';

/** Signed-in routes: `GET /api/session` decides; signed-out visitors go to the sign-in page and come back afterwards. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending)
    return (
      <div className="centered-page">
        <Loading label="Checking your session…" />
      </div>
    );
  if (session.isError)
    return (
      <div className="centered-page">
        <ErrorNotice error={session.error} onRetry={() => void session.refetch()} />
      </div>
    );
  if (!session.data) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <Outlet />;
}
