import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ContainerStatusBadge } from './container-status';

describe('ContainerStatusBadge', () => {
  it('shows the observed status and exposes it for tests and styles', () => {
    const markup = renderToStaticMarkup(<ContainerStatusBadge container={{ status: 'running', desired_state: 'running' }} />);
    expect(markup).toContain('data-status="running"');
    expect(markup).toContain('>Running<');
  });

  it('says where a container is heading when the user stopped it', () => {
    expect(renderToStaticMarkup(<ContainerStatusBadge container={{ status: 'running', desired_state: 'stopped' }} />)).toContain(
      'Running → stopping',
    );
  });

  it('marks a failure', () => {
    const markup = renderToStaticMarkup(<ContainerStatusBadge container={{ status: 'failed', desired_state: 'running' }} />);
    expect(markup).toContain('badge-danger');
    expect(markup).toContain('Failed');
  });
});
