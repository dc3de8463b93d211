import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AdminLayout } from './admin/admin-layout';
import { AdminSessionsPage } from './admin/admin-sessions-page';
import { UsersPage } from './admin/users-page';
import { RequireSession } from './auth/require-session';
import { SignInPage } from './auth/sign-in-page';
import { ComputeLayout } from './compute/compute-layout';
import { ContainerPage } from './compute/container-page';
import { ContainersPage } from './compute/containers-page';
import { IngressEditor } from './compute/ingress-editor';
import { LogsTab } from './compute/logs-tab';
import { SshKeysPage } from './compute/ssh-keys-page';
import { Loading } from './components/query-state';
import { HealthPage } from './health/health-page';
import { AppLayout } from './layout/app-layout';
import { LogsPage } from './logs/logs-page';
import { NotificationsPage } from './notifications/notifications-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { serviceSections } from './pages/sections';
import { ServiceUnavailablePage } from './pages/service-unavailable-page';
import { ApiTokensPage } from './settings/api-tokens-page';
import { ProfilePage } from './settings/profile-page';
import { ServiceAccountsPage } from './settings/service-accounts-page';
import { SessionsPage } from './settings/sessions-page';
import { SettingsLayout } from './settings/settings-layout';
import { FileBrowserPage } from './storage/file-browser-page';
import { NamespacesPage } from './storage/namespaces-page';
import { SharesPage } from './storage/shares-page';
import { StorageLayout } from './storage/storage-layout';

// xterm.js is most of the bundle's weight: loaded when a terminal is first opened.
const TerminalTab = lazy(() => import('./compute/terminal-tab').then((module) => ({ default: module.TerminalTab })));

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<RequireSession />}>
        <Route element={<AppLayout />}>
          <Route index element={<OverviewPage />} />
          <Route path="/storage" element={<StorageLayout />}>
            <Route index element={<NamespacesPage />} />
            <Route path="namespaces/:namespace" element={<FileBrowserPage />} />
            <Route path="shares" element={<SharesPage />} />
          </Route>
          <Route path="/compute" element={<ComputeLayout />}>
            <Route index element={<ContainersPage />} />
            <Route path="containers/:id" element={<ContainerPage />}>
              <Route index element={<IngressEditor />} />
              <Route
                path="terminal"
                element={
                  <Suspense fallback={<Loading label="Loading the terminal…" />}>
                    <TerminalTab />
                  </Suspense>
                }
              />
              <Route path="logs" element={<LogsTab />} />
            </Route>
            <Route path="ssh-keys" element={<SshKeysPage />} />
          </Route>
          <Route path="/health" element={<HealthPage />} />
          <Route path="/health/logs" element={<LogsPage />} />
          {serviceSections
            .filter((section) => !section.available)
            .map((section) => (
              <Route key={section.path} path={section.path} element={<ServiceUnavailablePage section={section} />} />
            ))}
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/settings" element={<SettingsLayout />}>
            <Route index element={<ProfilePage />} />
            <Route path="sessions" element={<SessionsPage />} />
            <Route path="tokens" element={<ApiTokensPage />} />
            <Route path="service-accounts" element={<ServiceAccountsPage />} />
          </Route>
          <Route path="/admin" element={<AdminLayout />}>
            <Route index element={<UsersPage />} />
            <Route path="sessions" element={<AdminSessionsPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
