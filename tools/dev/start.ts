import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureDevCerts, type DevCerts } from '../dev-tls/make-dev-certs';
import { DEV_APPS, DEV_APP_NAMES, type DevApp } from './apps';
import { applyPerAppEnv, mergePerAppEnv, removePerAppEnv, type PerAppEnv } from './app-env-files';
import { devAdminToken } from './admin-token';
import { appEnvironment } from './dev-env';
import { InfraError, redact, resolveInfra, stopInfra, type InfraChoice } from './infra';
import { applyNatsAuth, prepareNatsAuth } from './nats-auth';
import { describeTakenPorts, portsOf, takenPorts } from './port-check';
import { ancestorNamed, isAlive } from './process-tree';
import { bold, dim, fail, green, red, say, table, warn } from './output';
import { summary } from './summary';
import { devDatabaseEnv } from './postgres-roles';
import { monitorApps, watchReadiness, type ReadinessWatch } from './readiness';
import { runApps, type AppsProcess } from './supervisor';

/**
 * `npm start`: finds or starts PostgreSQL, NATS and Redis, makes the dev TLS certificate, runs
 * every app with Nx, waits for each to report ready and prints where everything is.
 * Ctrl-C or SIGTERM stops the apps, then whatever infrastructure it started, and exits 0.
 *
 *   npm start                          everything
 *   npm start -- --projects=auth,docs  a subset
 *   npm start -- --timeout=600         seconds to wait for readiness before reporting stragglers
 */
const WORKSPACE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DATA_ROOT = `${WORKSPACE_ROOT}.data`;

const { values: flags } = parseArgs({
  options: { projects: { type: 'string' }, timeout: { type: 'string', default: '300' } },
  allowPositionals: false,
});

const infra: InfraChoice[] = [];
let apps: AppsProcess | undefined;
let readiness: ReadinessWatch | undefined;
let monitor: { stop(): void } | undefined;
let shuttingDown: Promise<never> | undefined;

// A reader that goes away (`npm start | head`) must not crash the shutdown path.
process.stdout.on('error', () => undefined);

function shutdown(code: number, reason?: string): Promise<never> {
  shuttingDown ??= (async () => {
    if (reason) say(reason);
    readiness?.stop();
    monitor?.stop();
    if (apps) {
      say('stopping the apps…');
      await apps.stop();
    }
    const started = infra.filter((choice) => choice.server);
    if (started.length) say(`stopping ${started.map((choice) => choice.name).join(', ')}…`);
    await stopInfra(infra);
    say(code === 0 ? 'stopped.' : `stopped (exit ${code}).`);
    process.exit(code);
  })();
  return shuttingDown;
}

// A process-group kill can deliver the same signal twice (directly and relayed by tsx): only a
// signal that comes well after the first means "stop waiting, exit now".
let firstSignalAt: number | undefined;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      void shutdown(0, `${sig} received`);
    } else if (Date.now() - firstSignalAt > 1_500) {
      fail('second signal: exiting now, some processes may be left running');
      process.exit(1);
    }
  });
}

/**
 * npm does not pass SIGTERM on to the script it runs: `kill <npm pid>` ends npm and orphans us.
 * So when run as `npm start`, the start command watches that npm process and stops everything
 * when it goes away. (Only npm: a shell that launched `nohup npm start &` may come and go.)
 */
async function watchNpm(): Promise<void> {
  if (!process.env['npm_lifecycle_event']) return;
  const npm = await ancestorNamed(process.pid, 'npm');
  if (npm === undefined) return;
  const timer = setInterval(() => {
    if (isAlive(npm)) return;
    clearInterval(timer);
    void shutdown(0, `npm (pid ${npm}) ended`);
  }, 1_000);
  timer.unref();
}

function selectedApps(): DevApp[] {
  if (!flags.projects) return [...DEV_APPS];
  const wanted = flags.projects
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !DEV_APP_NAMES.includes(name));
  if (unknown.length) {
    fail(`unknown project(s): ${unknown.join(', ')}; known: ${DEV_APP_NAMES.join(', ')}`);
    process.exit(2);
  }
  return DEV_APPS.filter((app) => wanted.includes(app.name));
}

async function prepareTls(domain: string): Promise<DevCerts | undefined> {
  try {
    const certs = await ensureDevCerts({ domain });
    const what = certs.created === 'none' ? 'reused' : 'created';
    say(`dev TLS certificate for ${domain} and *.${domain} ${what} (CA: ${dim(certs.caCertFile)})`);
    return certs;
  } catch (error) {
    warn(
      `could not make the dev TLS certificate (${error instanceof Error ? error.message : String(error)}); HTTPS on :18443 stays off. Needs openssl (apt-get install openssl / brew install openssl).`,
    );
    return undefined;
  }
}

async function main(): Promise<void> {
  const selected = selectedApps();
  await watchNpm();
  const timeoutMs = Number(flags.timeout) * 1_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    fail(`--timeout wants a number of seconds, got ${flags.timeout}`);
    process.exit(2);
  }
  say(`workspace ${WORKSPACE_ROOT}`);
  const taken = await takenPorts(portsOf(selected));
  if (taken.length) {
    fail(describeTakenPorts(taken));
    process.exit(1);
  }
  say('looking for PostgreSQL, NATS and Redis…');
  let natsPerApp: PerAppEnv = {};
  try {
    const natsAuth = prepareNatsAuth(DATA_ROOT);
    await resolveInfra({ env: process.env, dataRoot: DATA_ROOT, onStatus: say, chosen: infra, natsConfigFile: natsAuth.configFile });
    const nats = infra.find((c) => c.name === 'NATS');
    natsPerApp = await applyNatsAuth({ nats, auth: natsAuth, apps: selected.map((a) => a.name), say, warn });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fail(error instanceof InfraError ? message : `infrastructure check failed: ${message}`);
    await shutdown(1);
  }
  const how = { env: 'from env', local: 'already running', started: 'started by npm start' } as const;
  say('infrastructure:\n' + table(infra.map((c) => [c.name, redact(c.url), how[c.source], dim(c.detail)])));

  const domain = process.env['EDD_DOMAIN'] || 'cloud.localhost';
  const tls = await prepareTls(domain);
  const env = appEnvironment({
    base: process.env,
    workspaceRoot: WORKSPACE_ROOT,
    infra: Object.fromEntries(infra.map((c) => [c.envVar, c.url])),
    tls,
    adminToken: devAdminToken(DATA_ROOT),
  });
  // Each app connects as its own PostgreSQL role; the admin URL found above reaches no app.
  const adminUrl = infra.find((c) => c.envVar === 'DATABASE_URL')?.url;
  const databasePerApp = adminUrl ? await devDatabaseEnv({ adminUrl, dataRoot: DATA_ROOT, onStatus: say, onWarning: warn }) : {};
  const perApp = mergePerAppEnv(databasePerApp, natsPerApp);
  applyPerAppEnv({ env, workspaceRoot: WORKSPACE_ROOT, apps: DEV_APP_NAMES, perApp });
  // The files hold credentials: they live as long as the apps that read them.
  process.once('exit', () => removePerAppEnv(WORKSPACE_ROOT, DEV_APP_NAMES));

  say(`starting ${selected.map((app) => app.name).join(', ')} (output below is prefixed with the app's name)`);
  const crashed = new Set<string>();
  apps = runApps({
    projects: selected.map((app) => app.name),
    cwd: WORKSPACE_ROOT,
    env,
    onLine: (line) => process.stdout.write(`${line}\n`),
    onCrash: (project, reason) => {
      if (crashed.has(project)) return;
      crashed.add(project);
      fail(
        `${bold(project)} stopped: ${reason} (see its output above). The other apps keep running; save a fix and tsx watch restarts it.`,
      );
    },
  });
  void apps.exited.then((code) => {
    if (!shuttingDown) void shutdown(code === 0 ? 1 : code, `nx run-many ended by itself (exit ${code})`);
  });

  const ready = new Set<string>();
  let timedOut = false;
  readiness = watchReadiness({
    apps: selected,
    timeoutMs,
    onReady: (app, elapsedMs) => {
      ready.add(app.name);
      crashed.delete(app.name);
      say(
        `${green('ready')} ${app.name.padEnd(13)} ${dim(app.readyUrl)} ${dim(`(${(elapsedMs / 1000).toFixed(1)} s, ${ready.size}/${selected.length})`)}`,
      );
      if (ready.size === selected.length && timedOut) {
        say(green('all apps are ready now'));
        startMonitor(selected, crashed);
      }
    },
  });
  const all = await readiness.allReady;
  if (shuttingDown) return;
  if (all) {
    say(green(`all ${selected.length} apps are ready`));
  } else {
    timedOut = true;
    const missing = selected.filter((app) => !ready.has(app.name));
    warn(`not ready after ${flags.timeout} s: ${missing.map((app) => `${app.name} (${app.readyUrl})`).join(', ')}; still watching`);
  }
  process.stdout.write(`${summary(selected, ready, domain, env, { showPassword: process.stdout.isTTY === true })}\n`);
  if (all) startMonitor(selected, crashed);
}

/** Once everything was up: report apps that go down later, and come back. */
function startMonitor(selected: readonly DevApp[], crashed: Set<string>): void {
  monitor ??= monitorApps({
    apps: selected,
    onDown: (app) => warn(`${red('down')} ${app.name} stopped answering ${app.readyUrl}`),
    onUp: (app) => {
      crashed.delete(app.name);
      say(`${green('ready')} ${app.name} answers again`);
    },
  });
}

main().catch((error: unknown) => {
  fail(`start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  void shutdown(1);
});
