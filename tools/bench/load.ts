import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** What the errors were; their sum is `errors`. */
  errorKinds: ErrorKinds;
  tool: 'wrk' | 'autocannon';
}

/** wrk's error classes (socket errors by call, answers outside 2xx/3xx) and autocannon's two. */
export const ERROR_KINDS = ['non2xx', 'connect', 'read', 'write', 'timeout', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
export type ErrorKinds = Record<ErrorKind, number>;

export const noErrors = (): ErrorKinds => ({ non2xx: 0, connect: 0, read: 0, write: 0, timeout: 0, other: 0 });

/** The error counts in wrk's report ("Socket errors: connect 0, read 3, ..." and "Non-2xx or 3xx responses: 2"). */
export function wrkErrorKinds(stdout: string): ErrorKinds {
  const kinds = noErrors();
  kinds.non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  if (socket) {
    kinds.connect = Number(socket[1]);
    kinds.read = Number(socket[2]);
    kinds.write = Number(socket[3]);
    kinds.timeout = Number(socket[4]);
  }
  return kinds;
}

export const errorTotal = (kinds: ErrorKinds): number => ERROR_KINDS.reduce((sum, kind) => sum + kinds[kind], 0);

const WRK = '/usr/bin/wrk';

type Autocannon = (options: { url: string; connections: number; duration: number; headers: Record<string, string> }) => Promise<{
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}>;

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/** Keep-alive load with `connections` connections for `seconds`, Host-routed. */
export async function generateLoad(url: string, host: string, connections: number, seconds: number): Promise<LoadResult> {
  if (existsSync(WRK)) {
    const { stdout } = await run(WRK, ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', `Host: ${host}`, url], {
      timeout: (seconds + 30) * 1000,
    });
    const requests = Number(/(\d+) requests in ([\d.]+)(m?s)/.exec(stdout)?.[1] ?? 0);
    const dm = /requests in ([\d.]+)(ms|s|m)/.exec(stdout);
    const elapsed = dm ? Number(dm[1]) * (dm[2] === 'ms' ? 0.001 : dm[2] === 'm' ? 60 : 1) : seconds;
    const errorKinds = wrkErrorKinds(stdout);
    return {
      requests,
      seconds: elapsed,
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
      p50Ms: toMs(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
      p99Ms: toMs(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
      errors: errorTotal(errorKinds),
      errorKinds,
      tool: 'wrk',
    };
  }
  // Fallback: autocannon (a devDependency), same shape of load.
  const moduleName = 'autocannon';
  const { default: autocannon } = (await import(moduleName)) as { default: Autocannon };
  const result = await autocannon({ url, connections, duration: seconds, headers: { host } });
  return {
    requests: result.requests.total,
    seconds,
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    errorKinds: { ...noErrors(), non2xx: result.non2xx, other: result.errors },
    tool: 'autocannon',
  };
}
