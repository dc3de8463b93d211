import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { descendants, isAlive, processTable, signal, terminateAll } from './process-tree';

/**
 * Runs the apps with `nx run-many -t serve` in a process group of its own and relays its output.
 * Nx prefixes every line with the project name (`auth: ...`); the supervisor reads those lines to
 * notice an app that crashed, and tells the caller. Nx keeps the other apps running when one
 * fails (`tsx watch` even waits for a fix and restarts the app), so one broken app never takes
 * the platform down.
 */
export interface AppsProcess {
  /** Resolves with Nx's exit code when it ends on its own or after stop(). */
  exited: Promise<number>;
  stop(graceMs?: number): Promise<void>;
}

export interface SuperviseOptions {
  projects: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
  /** An app died or reported a fatal start-up error; `reason` is a few words for people. */
  onCrash?: (project: string, reason: string) => void;
}

/** Last words of a process that died: Node's uncaught-exception footer, startService's message, Vite's. */
const CRASH_PATTERNS = [
  /^Node\.js v\d+/,
  /"level":"error".*"msg":"(failed to start|invalid configuration)/,
  /error when starting dev server/i,
  /^\s*Command failed:/,
];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const stripAnsi = (text: string) => text.replace(ANSI, '');

export function runApps(options: SuperviseOptions): AppsProcess {
  const args = [
    'nx',
    'run-many',
    '-t',
    'serve',
    `--projects=${options.projects.join(',')}`,
    `--parallel=${options.projects.length + 2}`,
    '--outputStyle=stream',
  ];
  const child: ChildProcess = spawn('npx', args, {
    cwd: options.cwd,
    env: options.env,
    // Own process group: a terminal's Ctrl-C reaches `npm start` only, which then stops the apps
    // in order (apps first, infrastructure last) instead of everything dying at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const known = new Set<number>();
  const remember = async () => {
    if (child.pid !== undefined) for (const pid of await descendants(child.pid)) known.add(pid);
  };
  // Apps start over the first minute; keep the list of processes to clean up current, and notice
  // a `tsx watch` left without its app process: the app exited (tsx prints nothing then).
  const childless = new Map<string, number>();
  const poll = setInterval(() => {
    void remember();
    void findExitedApps(options.projects, childless).then((exited) => {
      for (const project of exited) options.onCrash?.(project, 'its process exited');
    });
  }, 2_000);

  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      options.onLine?.(line);
      const match = /^([a-z0-9-]+):\s?(.*)$/i.exec(stripAnsi(line));
      if (!match) return;
      const [, project = '', rest = ''] = match;
      if (options.projects.includes(project) && CRASH_PATTERNS.some((p) => p.test(rest)))
        options.onCrash?.(project, 'it reported a fatal error');
    });
  }

  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, sig) => {
      clearInterval(poll);
      resolve(code ?? (sig ? 128 : 1));
    });
    child.once('error', () => {
      clearInterval(poll);
      resolve(1);
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 20_000): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(poll);
      await remember();
      if (child.pid !== undefined && isAlive(child.pid)) {
        // Nx forwards SIGTERM to every task and waits for them.
        signal(-child.pid, 'SIGTERM');
        const timer = setTimeout(() => child.pid !== undefined && signal(-child.pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Whatever Nx left behind (tasks run in sessions of their own).
      await terminateAll([...known], 5_000);
    })();
    return stopping;
  };

  return { exited, stop };
}

/**
 * Projects whose `tsx watch` process has had no child for two polls in a row: its app exited and
 * tsx waits for a file change. Reported once per exit (the count resets when the app runs again).
 */
async function findExitedApps(projects: readonly string[], childless: Map<string, number>): Promise<string[]> {
  const rows = await processTable();
  const exited: string[] = [];
  for (const project of projects) {
    const watcher = rows.find(
      (row) => /\btsx\b.*\bwatch\b/.test(row.args) && row.args.includes(`apps/${project}/src/main.ts`) && !row.args.startsWith('/bin/sh'),
    );
    if (!watcher) continue;
    const running = rows.some((row) => row.ppid === watcher.pid);
    const count = running ? 0 : (childless.get(project) ?? 0) + 1;
    childless.set(project, count);
    if (count === 2) exited.push(project);
  }
  return exited;
}
