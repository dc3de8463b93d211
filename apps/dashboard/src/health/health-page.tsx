import { useState } from 'react';
import { useCurrentUser } from '../api/session-queries';
import { DataTable } from '../components/data-table';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { QueryState } from '../components/query-state';
import { formatBytes, formatNanocores } from './format';
import { RANGES, useClusterInfo, useHealthAlerts, useNodeSeries, usePodMetrics, type RangeId } from './health-queries';
import { NodeCard } from './node-card';
import { SeriesChart } from './series-chart';
import { useHealthFeed, type FeedState } from './use-health-feed';

const feedText: Record<FeedState, string> = {
  connecting: 'Connecting to live figures…',
  live: 'Live: updated every 5 s',
  reconnecting: 'Live figures lost; reconnecting…',
};

export function HealthPage() {
  const user = useCurrentUser();
  const feed = useHealthFeed();
  const [range, setRange] = useState<RangeId>('1h');
  const cluster = useClusterInfo(user.is_admin);
  const series = useNodeSeries(range, user.is_admin);
  const pods = usePodMetrics();
  const alerts = useHealthAlerts();

  return (
    <div className="page">
      <h1>Health</h1>
      <p className="muted" role="status" data-testid="health-feed">
        {feedText[feed]}
      </p>
      {user.is_admin && (
        <Panel title="Nodes" description="CPU, memory and disk of each node, as last sampled.">
          <QueryState query={cluster} label="Loading nodes…">
            {(info) =>
              info.nodes.length ? (
                <>
                  <ul className="tile-grid">
                    {info.nodes.map((node) => (
                      <NodeCard key={node.name} node={node} />
                    ))}
                  </ul>
                  <p className="muted">Sampled {formatTime(info.timestamp)}</p>
                </>
              ) : (
                <p className="muted">No sample yet: the first arrives within a few seconds of the service starting.</p>
              )
            }
          </QueryState>
        </Panel>
      )}
      {user.is_admin && (
        <Panel
          title="History"
          actions={
            <div className="tabs" role="group" aria-label="Time range">
              {RANGES.map((r) => (
                <button
                  key={r.id}
                  type="button"
                  className={`tab ${range === r.id ? 'active' : ''}`}
                  aria-pressed={range === r.id}
                  onClick={() => setRange(r.id)}
                >
                  {r.label}
                </button>
              ))}
            </div>
          }
        >
          <QueryState query={series} label="Loading history…">
            {(data) => (
              <>
                <p className="muted">Resolution: {data.resolution === 'raw' ? 'every sample (5 s)' : `${data.resolution} averages`}</p>
                {Object.entries(data.series).map(([node, points]) => (
                  <SeriesChart key={node} title={node} points={points} span={data} />
                ))}
              </>
            )}
          </QueryState>
        </Panel>
      )}
      <Panel title="Your containers" description="What each of your containers uses now.">
        <QueryState query={pods} label="Loading containers…">
          {(info) =>
            info.pods.length ? (
              <DataTable
                caption="Container usage"
                rows={info.pods}
                rowKey={(pod) => `${pod.namespace}/${pod.name}`}
                rowHeader={{ header: 'Container', cell: (pod) => pod.name }}
                columns={[
                  { header: 'Status', cell: (pod) => pod.phase },
                  { header: 'CPU', cell: (pod) => (pod.cpu_usage ? formatNanocores(pod.cpu_usage) : '—') },
                  { header: 'Memory', cell: (pod) => `${formatBytes(pod.memory_usage)} of ${formatBytes(pod.memory_capacity)}` },
                  { header: 'Disk', cell: (pod) => `${formatBytes(pod.disk_usage)} of ${formatBytes(pod.disk_capacity)}` },
                  { header: 'Restarts', cell: (pod) => String(pod.restarts) },
                ]}
              />
            ) : (
              <p className="muted">No running containers.</p>
            )
          }
        </QueryState>
      </Panel>
      <Panel title="Alerts" description="Recent alerts about the platform (admins) or your containers.">
        <QueryState query={alerts} label="Loading alerts…">
          {(list) =>
            list.length ? (
              <DataTable
                caption="Recent alerts"
                rows={list}
                rowKey={(alert) => alert.id}
                rowHeader={{ header: 'Alert', cell: (alert) => alert.title }}
                columns={[
                  {
                    header: 'State',
                    cell: (alert) => (
                      <span className={`badge ${alert.state === 'firing' ? 'badge-danger' : 'badge-muted'}`}>{alert.state}</span>
                    ),
                  },
                  { header: 'Severity', cell: (alert) => alert.severity },
                  { header: 'Details', cell: (alert) => alert.message, wrap: true },
                  { header: 'Since', cell: (alert) => formatTime(alert.fired_at) },
                ]}
              />
            ) : (
              <p className="muted">No alerts.</p>
            )
          }
        </QueryState>
      </Panel>
    </div>
  );
}
