import type { StaticRouteRow } from '@edd/route-registry';

/** The gateway admin API's route resource: the `static_routes` row (snake_case wire form). */
export type RouteJson = StaticRouteRow;

export type RouteBody = Omit<RouteJson, 'id'>;

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

/** Thin client for `/admin/routes` on the gateway's admin port (bearer GATEWAY_ADMIN_TOKEN). */
export class GatewayAdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  list(): Promise<RouteJson[]> {
    return this.call<RouteJson[]>('GET', '/admin/routes');
  }

  add(route: RouteBody): Promise<RouteJson> {
    return this.call<RouteJson>('POST', '/admin/routes', route);
  }

  update(id: number, route: RouteBody): Promise<RouteJson> {
    return this.call<RouteJson>('PUT', `/admin/routes/${id}`, route);
  }

  async remove(id: number): Promise<void> {
    await this.call('DELETE', `/admin/routes/${id}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl), {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new AdminApiError(0, `cannot reach the gateway admin API at ${this.baseUrl} (${cause}); is the gateway running?`);
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new AdminApiError(response.status, payload.error ?? `HTTP ${response.status}`);
    return payload as T;
  }
}
