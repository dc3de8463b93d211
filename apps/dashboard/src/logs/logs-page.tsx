import { ArchiveSearchPanel, DownloadPanel } from './archive-panels';
import { LiveTailPanel } from './live-tail-panel';

/** `/health/logs`: the platform's logs, live and archived (the log service, docs/api/logs.md). */
export function LogsPage() {
  return (
    <div className="page">
      <h1>Logs</h1>
      <LiveTailPanel />
      <ArchiveSearchPanel />
      <DownloadPanel />
    </div>
  );
}
