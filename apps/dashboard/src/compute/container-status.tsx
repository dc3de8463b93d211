import type { Container } from '@edd/api-client';

const labels: Record<Container['status'], string> = {
  pending: 'Pending',
  running: 'Running',
  stopped: 'Stopped',
  failed: 'Failed',
};

/** The observed status, with where it is heading when that differs (e.g. "Running → stopping"). */
export function ContainerStatusBadge({ container }: { container: Pick<Container, 'status' | 'desired_state'> }) {
  const { status, desired_state: desired } = container;
  const heading = status !== desired && desired === 'stopped' && status !== 'failed' ? ' → stopping' : '';
  const tone = status === 'running' ? '' : status === 'failed' ? 'badge-danger' : 'badge-muted';
  return (
    <span className={`badge ${tone}`} data-testid="container-status" data-status={status}>
      {labels[status] ?? status}
      {heading}
    </span>
  );
}
