import type { Container } from '@edd/api-client';
import { Link } from 'react-router-dom';
import { useContainers } from '../api/compute-queries';
import { DataTable, type Column } from '../components/data-table';
import { formatTime } from '../components/format-time';
import { Panel } from '../components/panel';
import { QueryState } from '../components/query-state';
import { ContainerStatusBadge } from './container-status';
import { CreateContainerForm } from './create-container-form';

const containerColumns: ReadonlyArray<Column<Container>> = [
  { header: 'Status', cell: (c) => <ContainerStatusBadge container={c} /> },
  { header: 'Type', cell: (c) => `${c.instance_type} · ${c.memory_mb} MB · ${c.storage_gb} GB` },
  { header: 'Host', cell: (c) => <span className="mono">{c.hostname}</span>, wrap: true },
  { header: 'Created', cell: (c) => formatTime(c.created_at) },
];

export function ContainersPage() {
  const containers = useContainers();
  return (
    <>
      <Panel title="Your containers" description="Statuses change here as they happen.">
        <QueryState query={containers} label="Loading containers…">
          {(list) =>
            list.length === 0 ? (
              <p className="muted">You have no containers yet.</p>
            ) : (
              <DataTable
                caption="Containers"
                rows={list}
                rowKey={(c) => c.id}
                rowHeader={{
                  header: 'Name',
                  cell: (c) => (
                    <Link to={`/compute/containers/${encodeURIComponent(c.id)}`} data-container-link={c.id}>
                      {c.name}
                    </Link>
                  ),
                }}
                columns={containerColumns}
              />
            )
          }
        </QueryState>
      </Panel>
      <Panel title="Create a container" description="A Debian machine of your own, with SSH, a web terminal and ingress ports.">
        <CreateContainerForm />
      </Panel>
    </>
  );
}
