import { Outlet } from 'react-router-dom';
import { SectionTabs } from '../components/section-tabs';
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
  // One socket for the whole section: the list and each container's page follow the same feed.
  const feed = useContainerFeed();
  return (
    <div className="page">
      <h1>Compute</h1>
      <SectionTabs label="Compute sections" tabs={tabs} />
      <RuntimeNotice />
      <Outlet />
      {/* aria-live without the status role: it is not "something loading", and it must exist before its text changes. */}
      <p className="muted live-state" aria-live="polite" data-testid="compute-feed" data-state={feed}>
        {feedText[feed]}
      </p>
    </div>
  );
}
