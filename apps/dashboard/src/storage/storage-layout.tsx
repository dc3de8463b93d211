import { Outlet } from 'react-router-dom';
import { SectionTabs } from '../components/section-tabs';
import { UploadsProvider, useUploads } from './uploads-context';

// "Namespaces" stays current inside a namespace's file browser.
const tabs = [
  { to: '/storage', label: 'Namespaces', active: (path: string) => !path.startsWith('/storage/shares') },
  { to: '/storage/shares', label: 'Share links', active: (path: string) => path.startsWith('/storage/shares') },
];

export function StorageLayout() {
  return (
    <UploadsProvider>
      <div className="page">
        <h1>Storage</h1>
        <SectionTabs label="Storage sections" tabs={tabs} />
        <Outlet />
        <UploadAnnouncer />
      </div>
    </UploadsProvider>
  );
}

/**
 * One polite live region for the whole section: the end of each upload is heard even after leaving its folder.
 * Always in the page (a live region added together with its text is often not read); aria-live without the status
 * role, so it does not count as "something still loading".
 */
function UploadAnnouncer() {
  const { announcement } = useUploads();
  return (
    <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="upload-announcer">
      {announcement}
    </p>
  );
}
