import { Outlet } from 'react-router-dom';
import { SectionTabs } from '../components/section-tabs';

const tabs = [
  { to: '/settings', label: 'Profile', end: true },
  { to: '/settings/sessions', label: 'Sessions' },
  { to: '/settings/tokens', label: 'API tokens' },
  { to: '/settings/service-accounts', label: 'Service accounts' },
];

export function SettingsLayout() {
  return (
    <div className="page">
      <h1>Settings</h1>
      <SectionTabs label="Settings sections" tabs={tabs} />
      <Outlet />
    </div>
  );
}
