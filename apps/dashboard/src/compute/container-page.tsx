import type { Container } from '@edd/api-client';
import { Outlet, useNavigate, useOutletContext, useParams } from 'react-router-dom';
import { useContainer, useContainerAction, useDeleteContainer } from '../api/compute-queries';
import { ConfirmButton } from '../components/confirm-button';
import { CopyButton } from '../components/copy-button';
import { SectionTabs } from '../components/section-tabs';
import { ErrorNotice, QueryState } from '../components/query-state';
import { ContainerStatusBadge } from './container-status';

/** `/compute/containers/:id` and its tabs (Ingress, Terminal, Logs); the tabs read the container from the outlet. */
export function ContainerPage() {
  const { id = '' } = useParams();
  const container = useContainer(id);
  return (
    <QueryState query={container} label="Loading the container…">
      {(data) => (
        <>
          <ContainerSummary container={data} />
          <ContainerTabs id={data.id} />
          <Outlet context={data satisfies Container} />
        </>
      )}
    </QueryState>
  );
}

/** The container of the page, for its tabs. */
export function useContainerOfPage(): Container {
  return useOutletContext<Container>();
}

function ContainerSummary({ container }: { container: Container }) {
  const action = useContainerAction(container.id);
  const remove = useDeleteContainer();
  const navigate = useNavigate();
  const wantsRunning = container.desired_state === 'running';
  return (
    <section className="panel" aria-labelledby="container-heading">
      <header className="panel-header">
        <div>
          <h2 id="container-heading" tabIndex={-1}>
            Container {container.name}
          </h2>
          <p className="muted">
            <span className="mono">{container.id}</span> · {container.instance_type} · {container.cpu_millis / 1000} CPU ·{' '}
            {container.memory_mb} MB
            {container.memory_used_mb !== undefined && ` (${container.memory_used_mb} MB used)`} · {container.storage_gb} GB
            {container.storage_used_gb !== undefined && ` (${container.storage_used_gb} GB used)`}
          </p>
        </div>
        <span className="row-actions">
          {wantsRunning ? (
            <ConfirmButton
              label="Stop"
              subject={`container ${container.name}`}
              text="Stop"
              pending={action.isPending}
              onConfirm={() => action.mutate('stop')}
            />
          ) : (
            <button
              type="button"
              className="button"
              aria-disabled={action.isPending || undefined}
              onClick={() => !action.isPending && action.mutate('start')}
            >
              {action.isPending ? 'Starting…' : 'Start'}
            </button>
          )}
          <ConfirmButton
            label="Delete"
            subject={`container ${container.name} and its files`}
            text="Delete"
            pending={remove.isPending}
            onConfirm={() => remove.mutate(container.id, { onSuccess: () => void navigate('/compute') })}
          />
        </span>
      </header>
      <p>
        Status: <ContainerStatusBadge container={container} />
        {container.restarts > 0 && <span className="muted"> · restarted {container.restarts}×</span>}
      </p>
      {container.status_message && container.status !== 'running' && (
        <p className={`notice ${container.status === 'failed' ? 'notice-error' : 'notice-info'}`}>{container.status_message}</p>
      )}
      {action.isError && <ErrorNotice error={action.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      <SshAccess container={container} />
    </section>
  );
}

function SshAccess({ container }: { container: Container }) {
  if (!container.ssh_enabled || !container.ssh_command) {
    return <p className="muted">SSH is off for this container; the Terminal tab still works.</p>;
  }
  const fieldId = `ssh-command-${container.id}`;
  return (
    <div className="field">
      <label htmlFor={fieldId}>SSH command</label>
      <div className="copy-row">
        <input id={fieldId} readOnly value={container.ssh_command} className="mono" spellCheck={false} onFocus={(e) => e.target.select()} />
        <CopyButton text={container.ssh_command} fallbackTargetId={fieldId} label="Copy SSH command" />
      </div>
      <p className="hint">With one of the SSH keys the container trusts.</p>
    </div>
  );
}

function ContainerTabs({ id }: { id: string }) {
  const base = `/compute/containers/${encodeURIComponent(id)}`;
  const tabs = [
    { to: base, label: 'Ingress', end: true },
    { to: `${base}/terminal`, label: 'Terminal' },
    { to: `${base}/logs`, label: 'Logs' },
  ];
  return <SectionTabs label="Container views" tabs={tabs} />;
}
