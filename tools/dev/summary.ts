import { gatewayUrl, type DevApp } from './apps';
import { devLogin } from './dev-env';
import { bold, box, dim, green, red, table } from './output';

/**
 * The framed block `npm start` prints once the apps are up: where to go, how to sign in, who listens where.
 * The password only when `showPassword` (stdout is a terminal): redirected output ends up in log files others read.
 */
export function summary(
  selected: readonly DevApp[],
  ready: ReadonlySet<string>,
  domain: string,
  env: NodeJS.ProcessEnv,
  options: { showPassword: boolean },
): string {
  const login = devLogin(env);
  const dashboard = selected.find((app) => app.name === 'dashboard');
  const rows = selected.map((app) => {
    const mark = ready.has(app.name) ? green('✓') : red('✗');
    const extra = Object.entries(app.extraPorts ?? {})
      .map(([name, port]) => `${name} :${port}`)
      .join(', ');
    return [mark, app.name, `http://127.0.0.1:${app.port}`, gatewayUrl(app, domain) ?? extra];
  });
  const lines = [
    bold(ready.size === selected.length ? 'edd-cloud is running' : 'edd-cloud is partly running'),
    '',
    ...(dashboard ? [`Dashboard   ${gatewayUrl(dashboard, domain)}`, `            ${gatewayUrl(dashboard, domain, 'https')}`] : []),
    options.showPassword
      ? `Login       ${login.username} / ${login.password}`
      : `Login       ${login.username} / (not printed: output is not a terminal; DEFAULT_PASSWORD, else see docs/development.md)`,
    '',
    ...table(rows, '').split('\n'),
    '',
    dim('Ctrl-C stops everything.'),
  ];
  return box(lines);
}
