import { useState } from 'react';
import { openLiveSocket } from '../api/live-socket';
import { LogView, tailStateText, useTailSocket } from '../components/log-tail';
import { Panel } from '../components/panel';
import { useContainerOfPage } from './container-page';
import { appendLogLines, MAX_LOG_LINES } from './log-buffer';

const TAIL = 200;

/** `WS /compute/containers/{id}/logs?tail=200`: the last lines, then each new one; stays at the end unless scrolled up. */
export function LogsTab() {
  const container = useContainerOfPage();
  const [lines, setLines] = useState<string[]>([]);
  const running = container.status === 'running';
  const tail = useTailSocket(running ? container.id : null, {
    open: () => openLiveSocket('compute', `/compute/containers/${encodeURIComponent(container.id)}/logs`, { tail: String(TAIL) }),
    onStart: () => setLines([]),
    onMessage: (event: MessageEvent<ArrayBuffer | string>) => {
      const text = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data);
      setLines((current) => appendLogLines(current, [text.replace(/\r?\n$/, '')]));
    },
  });

  if (!running) {
    return (
      <Panel title="Logs">
        <p className="muted">Logs are followed while the container runs (it is {container.status} now).</p>
      </Panel>
    );
  }
  return (
    <Panel
      title="Logs"
      description={`The last ${TAIL} lines, then new ones as they come (at most ${MAX_LOG_LINES.toLocaleString()} kept). Scroll up to stop following.`}
      actions={
        <span className="row-actions">
          <span className="muted" aria-live="polite" data-testid="logs-state" data-state={tail.state}>
            {tailStateText(tail.state)}
          </span>
          {tail.state === 'ended' && (
            <button type="button" className="button button-secondary" onClick={tail.followAgain}>
              Follow again
            </button>
          )}
        </span>
      }
    >
      <LogView key={tail.connection} text={lines.length ? lines.join('\n') : 'No output yet.'} label="Container logs" testId="logs" />
    </Panel>
  );
}
