import { useEffect, useRef, useState } from 'react';
import { openLiveSocket } from '../api/live-socket';
import { Panel } from '../components/panel';
import { useContainerOfPage } from './container-page';
import { appendLogLines, isAtBottom, MAX_LOG_LINES } from './log-buffer';

const TAIL = 200;
type Follow = 'connecting' | 'following' | 'ended';

/** `WS /compute/containers/{id}/logs?tail=200`: the last lines, then each new one; stays at the end unless scrolled up. */
export function LogsTab() {
  const container = useContainerOfPage();
  const [lines, setLines] = useState<string[]>([]);
  const [follow, setFollow] = useState<Follow>('connecting');
  const [session, setSession] = useState(0);
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  const running = container.status === 'running';

  useEffect(() => {
    if (!running) return;
    let socket: WebSocket | undefined;
    let disposed = false;
    setLines([]);
    setFollow('connecting');
    stick.current = true;
    openLiveSocket('compute', `/compute/containers/${encodeURIComponent(container.id)}/logs`, { tail: String(TAIL) })
      .then((opened) => {
        if (disposed) return opened.close();
        socket = opened;
        opened.onopen = () => setFollow('following');
        opened.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
          const text = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data);
          setLines((current) => appendLogLines(current, [text.replace(/\r?\n$/, '')]));
        };
        opened.onclose = () => !disposed && setFollow('ended');
      })
      .catch(() => !disposed && setFollow('ended'));
    return () => {
      disposed = true;
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, [container.id, running, session]);

  // After each render with new lines: back to the end, unless the reader scrolled away from it.
  useEffect(() => {
    const element = box.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

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
          <span className="muted" aria-live="polite" data-testid="logs-state" data-state={follow}>
            {follow === 'following' ? 'Following' : follow === 'connecting' ? 'Connecting…' : 'Stopped'}
          </span>
          {follow === 'ended' && (
            <button type="button" className="button button-secondary" onClick={() => setSession((s) => s + 1)}>
              Follow again
            </button>
          )}
        </span>
      }
    >
      <pre
        ref={box}
        className="log-view mono"
        tabIndex={0}
        aria-label="Container logs"
        data-testid="logs"
        onScroll={(e) => (stick.current = isAtBottom(e.currentTarget))}
      >
        {lines.length ? lines.join('\n') : 'No output yet.'}
      </pre>
    </Panel>
  );
}
