import { Outlet } from 'react-router-dom';
import { useCurrentUser } from '../api/session-queries';
import { SectionTabs } from '../components/section-tabs';
import { NotFoundPage } from '../pages/not-found-page';

const tabs = [
  { to: '/admin', label: 'Users', end: true },
  { to: '/admin/sessions', label: 'Sessions' },
];

/** Admin screens exist only for admins; everyone else gets the ordinary 404. */
export function AdminLayout() {
  const user = useCurrentUser();
  if (!user.is_admin) return <NotFoundPage />;
  return (
    <div className="page">
      <h1>Admin</h1>
      <SectionTabs label="Admin sections" tabs={tabs} />
      <Outlet />
    </div>
  );
}
