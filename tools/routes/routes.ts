import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAdminToken } from '../dev/admin-token';
import { AdminApiError, GatewayAdminClient } from './admin-client';
import type { RouteBody, RouteJson } from './admin-client';

const USAGE = `Manage the gateway's static routes through its admin API.

Usage:
  tsx tools/routes/routes.ts list [--json]
  tsx tools/routes/routes.ts add <host> <path-prefix> <target> [--strip-prefix] [--priority N]
  tsx tools/routes/routes.ts update <id> <host> <path-prefix> <target> [--strip-prefix] [--priority N]
  tsx tools/routes/routes.ts remove <id>

Environment:
  GATEWAY_ADMIN_URL    default http://127.0.0.1:19090
  GATEWAY_ADMIN_TOKEN  default this machine's development token (.data/gateway/admin-token, made by npm start)

Every running gateway replica applies a change within a second.`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

function formatTable(routes: readonly RouteJson[]): string[] {
  const header = ['ID', 'HOST', 'PATH', 'TARGET', 'STRIP', 'PRIORITY'];
  const rows = routes.map((r) => [String(r.id), r.host, r.path_prefix, r.target, r.strip_prefix ? 'yes' : 'no', String(r.priority)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function parseId(raw: string | undefined): number {
  if (!raw || !/^\d+$/.test(raw)) throw new AdminApiError(0, `expected a numeric route id, got "${raw ?? ''}"`);
  return Number(raw);
}

function routeBody(args: string[], values: { 'strip-prefix'?: boolean; priority?: string }): RouteBody {
  const [host, pathPrefix, target] = args;
  if (!host || !pathPrefix || !target) throw new AdminApiError(0, 'expected <host> <path-prefix> <target>');
  const priority = values.priority === undefined ? 0 : Number(values.priority);
  if (!Number.isInteger(priority)) throw new AdminApiError(0, `--priority must be an integer, got "${values.priority}"`);
  return { host, path_prefix: pathPrefix, target, strip_prefix: values['strip-prefix'] ?? false, priority };
}

/** Runs one command; returns the process exit code (0 ok, 1 refused by the API or unreachable, 2 usage). */
export async function runRoutesCli(argv: string[], client: GatewayAdminClient, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        'strip-prefix': { type: 'boolean' },
        priority: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...args] = parsed.positionals;
  if (parsed.values.help || !command) {
    io.out(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  try {
    switch (command) {
      case 'list': {
        const routes = await client.list();
        if (parsed.values.json) io.out(JSON.stringify(routes, null, 2));
        else formatTable(routes).forEach((line) => io.out(line));
        return 0;
      }
      case 'add': {
        const route = await client.add(routeBody(args, parsed.values));
        io.out(`added route ${route.id}: ${route.host}${route.path_prefix} -> ${route.target}`);
        return 0;
      }
      case 'update': {
        const id = parseId(args[0]);
        const route = await client.update(id, routeBody(args.slice(1), parsed.values));
        io.out(`updated route ${route.id}: ${route.host}${route.path_prefix} -> ${route.target}`);
        return 0;
      }
      case 'remove': {
        const id = parseId(args[0]);
        await client.remove(id);
        io.out(`removed route ${id}`);
        return 0;
      }
      default:
        io.err(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    io.err(error.status ? `error (${error.status}): ${error.message}` : `error: ${error.message}`);
    return error.status === 0 && /^expected|^--priority/.test(error.message) ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const client = new GatewayAdminClient(
    process.env['GATEWAY_ADMIN_URL'] || 'http://127.0.0.1:19090',
    process.env['GATEWAY_ADMIN_TOKEN'] || readAdminToken(fileURLToPath(new URL('../../.data', import.meta.url))) || '',
  );
  const code = await runRoutesCli(process.argv.slice(2), client, { out: console.log, err: console.error });
  process.exit(code);
}
