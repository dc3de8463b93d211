import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Panel } from '../components/panel';
import { isAtBottom } from '../compute/log-buffer';
import { openLogTail } from './logs-api';
import type { LogEntryJson, LogFilter } from './logs-api';
import { appendEntries, formatEntry, MAX_TAIL_ENTRIES } from './tail-buffer';
import { FilterFields } from './filter-fields';

type State = 'connecting' | 'following' | 'ended';

/** `WS /logs/ws`: the newest entries, then each new one; filters apply on the server, pause holds what arrives. */
export function LiveTailPanel() {
  const [filter, setFilter] = useState<LogFilter>({});
  const [entries, setEntries] = useState<LogEntryJson[]>([]);
  const [state, setState] = useState<State>('connecting');
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [session, setSession] = useState(0);
  const pausedRef = useRef(false);
  const heldEntries = useRef<LogEntryJson[]>([]);
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    let socket: WebSocket | undefined;
    let disposed = false;
    setEntries([]);
    setState('connecting');
    openLogTail(filter)
      .then((opened) => {
        if (disposed) return opened.close();
        socket = opened;
        opened.onopen = () => setState('following');
        opened.onmessage = (event: MessageEvent<string>) => {
          const batch = JSON.parse(event.data) as LogEntryJson[];
          if (pausedRef.current) {
            heldEntries.current = appendEntries(heldEntries.current, batch);
            setHeld(heldEntries.current.length);
          } else setEntries((current) => appendEntries(current, batch));
        };
        opened.onclose = () => !disposed && setState('ended');
      })
      .catch(() => !disposed && setState('ended'));
    return () => {
      disposed = true;
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, [filter, session]);

  useEffect(() => {
    const element = box.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [entries]);

  const togglePause = () => {
    const next = !paused;
    pausedRef.current = next;
    setPaused(next);
    if (!next) {
      const waiting = heldEntries.current;
      heldEntries.current = [];
      setHeld(0);
      setEntries((current) => appendEntries(current, waiting));
    }
  };

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setFilter({ source: String(data.get('source') ?? ''), level: String(data.get('level') ?? ''), q: String(data.get('q') ?? '') });
  };

  return (
    <Panel
      title="Live tail"
      description={`Every service's log lines as they come (the newest ${MAX_TAIL_ENTRIES.toLocaleString()} kept). Scroll up to stop following.`}
      actions={
        <span className="row-actions">
          <span className="muted" aria-live="polite" data-testid="tail-state" data-state={paused ? 'paused' : state}>
            {paused ? `Paused (${held} waiting)` : state === 'following' ? 'Following' : state === 'connecting' ? 'Connecting…' : 'Stopped'}
          </span>
          <button type="button" className="button button-secondary" onClick={togglePause}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          {state === 'ended' && (
            <button type="button" className="button button-secondary" onClick={() => setSession((s) => s + 1)}>
              Reconnect
            </button>
          )}
        </span>
      }
    >
      <form className="form-inline" aria-label="Live tail filters" onSubmit={apply}>
        <FilterFields idPrefix="tail" />
        <div className="form-actions">
          <button type="submit" className="button">
            Apply
          </button>
        </div>
      </form>
      <pre
        ref={box}
        className="log-view mono"
        tabIndex={0}
        aria-label="Live log lines"
        data-testid="log-tail"
        onScroll={(event) => (stick.current = isAtBottom(event.currentTarget))}
      >
        {entries.map(formatEntry).join('\n')}
      </pre>
    </Panel>
  );
}
