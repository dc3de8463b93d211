import type { AlertRow } from '../data/alerts';

/** An alert on the wire (GET /api/alerts, the webhook): snake_case like every health answer. */
export interface AlertView {
  id: string;
  rule: string;
  severity: 'warning' | 'critical';
  state: 'firing' | 'resolved';
  title: string;
  message: string;
  subject: string;
  owner_id: string | null;
  fired_at: string;
  resolved_at: string | null;
  notified: boolean;
}

export const alertView = (a: AlertRow): AlertView => ({
  id: a.id,
  rule: a.rule,
  severity: a.severity,
  state: a.state,
  title: a.title,
  message: a.message,
  subject: a.subject,
  owner_id: a.ownerId,
  fired_at: a.firedAt.toISOString(),
  resolved_at: a.resolvedAt ? a.resolvedAt.toISOString() : null,
  notified: a.notified,
});
