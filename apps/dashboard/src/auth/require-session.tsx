import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../api/session-queries';
import { ErrorNotice, Loading } from '../components/query-state';

/** Signed-in routes: `GET /api/session` decides; signed-out visitors go to the sign-in page and come back afterwards. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending)
    return (
      <main className="centered-page">
        <Loading label="Checking your session…" />
      </main>
    );
  if (session.isError)
    return (
      <main className="centered-page">
        <h1>Could not check your session</h1>
        <ErrorNotice error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  if (!session.data) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <Outlet />;
}
