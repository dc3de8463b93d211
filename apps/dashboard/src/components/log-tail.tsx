import { useEffect, useRef, useState } from 'react';
import { isAtBottom } from '../compute/log-buffer';

// What the two followed logs share (Logs page live tail, a container's Logs tab): one socket per subject, no automatic
// retry (a button follows again), and a <pre> that stays at the end unless the reader scrolled away from it.

export type TailState = 'connecting' | 'following' | 'ended';

export interface TailHandlers {
  open(): Promise<WebSocket>;
  onMessage(event: MessageEvent): void;
  /** A new connection starts: clear what the last one showed. */
  onStart(): void;
}

export interface Tail {
  state: TailState;
  followAgain(): void;
  /** Names the current connection: a LogView keyed by it starts at the end again. */
  connection: string;
}

/** Follows `open()` while `subject` is not null; a new subject (or followAgain) starts a new connection. */
export function useTailSocket(subject: string | null, handlers: TailHandlers): Tail {
  const [state, setState] = useState<TailState>('connecting');
  const [session, setSession] = useState(0);
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (subject === null) return;
    let socket: WebSocket | undefined;
    let disposed = false;
    latest.current.onStart();
    setState('connecting');
    latest.current
      .open()
      .then((opened) => {
        if (disposed) return opened.close();
        socket = opened;
        opened.onopen = () => setState('following');
        opened.onmessage = (event: MessageEvent) => latest.current.onMessage(event);
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
  }, [subject, session]);

  return { state, followAgain: () => setSession((s) => s + 1), connection: `${subject ?? ''}#${session}` };
}

export const tailStateText = (state: TailState): string =>
  state === 'following' ? 'Following' : state === 'connecting' ? 'Connecting…' : 'Stopped';

/** The followed lines: back to the end after each change, unless the reader scrolled up. */
export function LogView({ text, label, testId }: { text: string; label: string; testId: string }) {
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const element = box.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [text]);
  return (
    <pre
      ref={box}
      className="log-view mono"
      tabIndex={0}
      aria-label={label}
      data-testid={testId}
      onScroll={(event) => (stick.current = isAtBottom(event.currentTarget))}
    >
      {text}
    </pre>
  );
}
