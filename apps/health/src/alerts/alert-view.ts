import type { HealthAlert } from '@edd/api-contracts';
import type { AlertRow } from '../data/alerts';

/** An alert on the wire (GET /api/alerts, the webhook): the contract's snake_case shape. */
export const alertView = (a: AlertRow): HealthAlert => ({
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
