import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { openLiveSocket } from '../api/live-socket';
import { Panel } from '../components/panel';
import { useContainerOfPage } from './container-page';
import { terminalQuery } from './terminal-protocol';
import { TerminalSession, type TerminalConnection } from './terminal-session';

type Connection = TerminalConnection;
/** The Panel's heading id for the title "Terminal" (see Panel). */
const TERMINAL_HEADING_ID = 'panel-terminal';

const connectionText: Record<Connection, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  closed: 'Disconnected',
};

export function TerminalTab() {
  const container = useContainerOfPage();
  // A new session (after "Reconnect") is a new component: a fresh xterm and socket.
  const [session, setSession] = useState(0);
  const [connection, setConnection] = useState<Connection>('connecting');
  return (
    <Panel
      title="Terminal"
      description={
        <>
          A root shell inside the container, sized to the window. Click into it or Tab to it and type; <kbd>Ctrl</kbd>+<kbd>]</kbd> moves
          the keyboard focus back out.
        </>
      }
      actions={
        <span className="row-actions">
          <span className="muted" aria-live="polite" data-testid="terminal-connection" data-state={connection}>
            {connectionText[connection]}
          </span>
          {connection === 'closed' && (
            <button type="button" className="button button-secondary" onClick={() => setSession((s) => s + 1)}>
              Reconnect
            </button>
          )}
        </span>
      }
    >
      {container.status === 'running' ? (
        <TerminalView key={`${container.id}-${session}`} containerId={container.id} onConnection={setConnection} />
      ) : (
        <p className="muted">The terminal opens once the container is running (it is {container.status} now).</p>
      )}
    </Panel>
  );
}

/** xterm.js joined to `WS /compute/containers/{id}/terminal` (protocol: terminal-protocol.ts). */
function TerminalView({ containerId, onConnection }: { containerId: string; onConnection: (state: Connection) => void }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({ cursorBlink: true, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 14 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    term.focus();

    // The shell needs Tab, so Tab cannot leave the terminal; Ctrl+] (telnet's escape key) does (WCAG 2.1.2).
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || event.key !== ']') return true;
      event.preventDefault();
      document.getElementById(TERMINAL_HEADING_ID)?.focus();
      return false;
    });

    const session = new TerminalSession(term, onConnection);
    const input = term.onData((data) => session.type(data));
    const binary = term.onBinary((data) => session.typeBinary(data));
    const resize = term.onResize((size) => session.resized(size));

    // The window (or the panel) changes size → refit → onResize above tells the PTY.
    const refit = () => {
      if (element.clientWidth > 0) fit.fit();
    };
    const observer = new ResizeObserver(refit);
    observer.observe(element);
    window.addEventListener('resize', refit);

    onConnection('connecting');
    openLiveSocket('compute', `/compute/containers/${encodeURIComponent(containerId)}/terminal`, terminalQuery(term)).then(
      (socket) => session.attach(socket),
      (error: unknown) => session.fail(error instanceof Error ? error.message : String(error)),
    );

    return () => {
      observer.disconnect();
      window.removeEventListener('resize', refit);
      input.dispose();
      binary.dispose();
      resize.dispose();
      session.end();
      term.dispose();
    };
  }, [containerId, onConnection]);

  return <div ref={host} className="terminal-host" data-testid="terminal" />;
}
