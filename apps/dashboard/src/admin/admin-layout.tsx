import { NavLink, Outlet } from 'react-router-dom';
import { useCurrentUser } from '../api/session-queries';
import { NotFoundPage } from '../pages/not-found-page';

/** Admin screens exist only for admins; everyone else gets the ordinary 404. */
export function AdminLayout() {
  const user = useCurrentUser();
  if (!user.is_admin) return <NotFoundPage />;
  return (
    <div className="page">
      <h1>Admin</h1>
      <nav className="tabs" aria-label="Admin sections">
        <NavLink to="/admin" end className="tab">
          Users
        </NavLink>
        <NavLink to="/admin/sessions" className="tab">
          Sessions
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
