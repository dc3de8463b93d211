import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { LogView, tailStateText, useTailSocket } from '../components/log-tail';
import { Panel } from '../components/panel';
import { openLogTail } from './logs-api';
import type { LogEntryJson, LogFilter } from './logs-api';
import { appendEntries, formatEntry, MAX_TAIL_ENTRIES } from './tail-buffer';
import { FilterFields } from './filter-fields';

/** `WS /logs/ws`: the newest entries, then each new one; filters apply on the server, pause holds what arrives. */
export function LiveTailPanel() {
  const [filter, setFilter] = useState<LogFilter>({});
  const [entries, setEntries] = useState<LogEntryJson[]>([]);
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const pausedRef = useRef(false);
  const heldEntries = useRef<LogEntryJson[]>([]);
  const tail = useTailSocket(JSON.stringify(filter), {
    open: () => openLogTail(filter),
    onStart: () => setEntries([]),
    onMessage: (event: MessageEvent<string>) => {
      const batch = JSON.parse(event.data) as LogEntryJson[];
      if (pausedRef.current) {
        heldEntries.current = appendEntries(heldEntries.current, batch);
        setHeld(heldEntries.current.length);
      } else setEntries((current) => appendEntries(current, batch));
    },
  });

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
          <span className="muted" aria-live="polite" data-testid="tail-state" data-state={paused ? 'paused' : tail.state}>
            {paused ? `Paused (${held} waiting)` : tailStateText(tail.state)}
          </span>
          <button type="button" className="button button-secondary" onClick={togglePause}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          {tail.state === 'ended' && (
            <button type="button" className="button button-secondary" onClick={tail.followAgain}>
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
      <LogView key={tail.connection} text={entries.map(formatEntry).join('\n')} label="Live log lines" testId="log-tail" />
    </Panel>
  );
}
