import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { openLiveSocket } from '../api/live-socket';
import { Panel } from '../components/panel';
import { useContainerOfPage } from './container-page';
import { encodeKeystrokes, noticeLine, parseTerminalNotice, resizeMessage, terminalQuery } from './terminal-protocol';

type Connection = 'connecting' | 'open' | 'closed';

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
      description="A root shell inside the container. Click into it (or Tab to it) and type; it follows the window’s size."
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

    let socket: WebSocket | undefined;
    let disposed = false;
    // Typed before the socket is open: sent once it is (the server keeps early input from then on).
    const early: Uint8Array[] = [];
    const send = (bytes: Uint8Array) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(bytes);
      else if (!socket || socket.readyState === WebSocket.CONNECTING) early.push(bytes);
    };

    const input = term.onData((data) => send(encodeKeystrokes(data)));
    // Mouse reports and the like come as one byte per character.
    const binary = term.onBinary((data) => send(Uint8Array.from(data, (ch) => ch.charCodeAt(0) & 0xff)));
    const resize = term.onResize((size) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(resizeMessage(size));
    });

    // The window (or the panel) changes size → refit → onResize above tells the PTY.
    const refit = () => {
      if (!disposed && element.clientWidth > 0) fit.fit();
    };
    const observer = new ResizeObserver(refit);
    observer.observe(element);
    window.addEventListener('resize', refit);

    onConnection('connecting');
    openLiveSocket('compute', `/compute/containers/${encodeURIComponent(containerId)}/terminal`, terminalQuery(term))
      .then((opened) => {
        if (disposed) return opened.close();
        socket = opened;
        opened.onopen = () => {
          onConnection('open');
          for (const bytes of early.splice(0)) opened.send(bytes);
          // The size may have changed while the ticket and the socket were on their way.
          opened.send(resizeMessage(term));
        };
        opened.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
          if (typeof event.data !== 'string') return term.write(new Uint8Array(event.data));
          const notice = parseTerminalNotice(event.data);
          term.write(notice ? noticeLine(notice) : event.data);
        };
        opened.onclose = (event) => {
          if (disposed) return;
          onConnection('closed');
          term.write(`\r\n[disconnected${event.reason ? `: ${event.reason}` : ''}]\r\n`);
        };
      })
      .catch((error: unknown) => {
        if (disposed) return;
        onConnection('closed');
        term.write(`\r\n[could not connect: ${error instanceof Error ? error.message : String(error)}]\r\n`);
      });

    return () => {
      disposed = true;
      observer.disconnect();
      window.removeEventListener('resize', refit);
      input.dispose();
      binary.dispose();
      resize.dispose();
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
      term.dispose();
    };
  }, [containerId, onConnection]);

  return <div ref={host} className="terminal-host" data-testid="terminal" />;
}
