import { Link, Outlet, useLocation } from 'react-router-dom';
import { RuntimeNotice } from './runtime-notice';
import { useContainerFeed, type FeedState } from './use-container-feed';

const tabs = [
  { to: '/compute', label: 'Containers', active: (path: string) => !path.startsWith('/compute/ssh-keys') },
  { to: '/compute/ssh-keys', label: 'SSH keys', active: (path: string) => path.startsWith('/compute/ssh-keys') },
];

const feedText: Record<FeedState, string> = {
  connecting: 'Connecting to live status…',
  live: 'Live status on',
  reconnecting: 'Live status lost; reconnecting…',
};

export function ComputeLayout() {
  const { pathname } = useLocation();
  // One socket for the whole section: the list and each container's page follow the same feed.
  const feed = useContainerFeed();
  return (
    <div className="page">
      <h1>Compute</h1>
      <nav className="tabs" aria-label="Compute sections">
        {tabs.map((tab) => {
          const current = tab.active(pathname);
          return (
            <Link key={tab.to} to={tab.to} className={`tab ${current ? 'active' : ''}`} aria-current={current ? 'page' : undefined}>
              {tab.label}
            </Link>
          );
        })}
      </nav>
      <RuntimeNotice />
      <Outlet />
      {/* aria-live without the status role: it is not "something loading", and it must exist before its text changes. */}
      <p className="muted live-state" aria-live="polite" data-testid="compute-feed" data-state={feed}>
        {feedText[feed]}
      </p>
    </div>
  );
}
