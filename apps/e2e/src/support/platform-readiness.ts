import { gatewayFetch } from './gateway-fetch';
import { gatewayPort, domain, urls } from './e2e-env';

/** The dashboard's host: the base domain itself; `cloud.<domain>` is accepted too in case the gateway routes that. */
const dashboardCandidates = [urls.dashboard, `http://cloud.${domain}:${gatewayPort}`];

async function answers(url: string, accept: (response: Response) => Promise<boolean> | boolean): Promise<boolean> {
  try {
    const response = await gatewayFetch(url, { headers: { accept: 'text/html,application/json' } });
    return await accept(response);
  } catch {
    return false;
  }
}

/** Auth answers `/readyz` through the gateway. */
export function authReady(): Promise<boolean> {
  return answers(`${urls.auth}/readyz`, (response) => response.status === 200);
}

/** The first dashboard URL that serves the app's HTML through the gateway, if any. */
export async function findDashboard(): Promise<string | undefined> {
  for (const url of dashboardCandidates) {
    const ok = await answers(`${url}/`, async (response) => response.status === 200 && (await response.text()).includes('id="root"'));
    if (ok) return url;
  }
  return undefined;
}

export async function platformReady(): Promise<string | undefined> {
  if (!(await authReady())) return undefined;
  return findDashboard();
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  isAlive: () => boolean = () => true,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    if (!isAlive()) throw new Error(`${what}: the platform process exited before it was ready`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s`);
}
