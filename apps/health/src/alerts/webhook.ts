import type { AlertRow } from '../data/alerts';
import { alertView } from './alert-view';

/**
 * POSTs one alert change as JSON to ALERT_WEBHOOK_URL: `{alert: Alert}` whose `state` says fired or resolved. Bounded
 * in time; a failure is the caller's to log (alerts are also notifications, so a webhook outage loses no alert).
 */
export async function postWebhook(url: string, alert: AlertRow, timeoutMs = 5_000): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'edd-cloud-health' },
    body: JSON.stringify({ alert: alertView(alert) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // The body is not read beyond what is needed to free the socket.
  await res.body?.cancel();
  if (!res.ok) throw new Error(`alert webhook answered ${res.status}`);
}
