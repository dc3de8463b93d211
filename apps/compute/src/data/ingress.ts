import type { IngressProtocol } from '@edd/api-contracts';
import type { Queryable } from '@edd/outbox';

export interface IngressRow {
  containerId: string;
  externalPort: number;
  targetPort: number;
  protocol: IngressProtocol;
  createdAt: Date;
}

interface DbRule {
  container_id: string;
  external_port: number;
  target_port: number;
  protocol: IngressProtocol;
  created_at: Date;
}

const toRow = (r: DbRule): IngressRow => ({
  containerId: r.container_id,
  externalPort: r.external_port,
  targetPort: r.target_port,
  protocol: r.protocol,
  createdAt: r.created_at,
});

/** Creates or replaces the rule of this external port. */
export async function upsertIngressRule(db: Queryable, rule: Omit<IngressRow, 'createdAt'>): Promise<IngressRow> {
  const { rows } = await db.query<DbRule>(
    `INSERT INTO ingress_rules (container_id, external_port, target_port, protocol) VALUES ($1, $2, $3, $4)
     ON CONFLICT (container_id, external_port) DO UPDATE SET target_port = EXCLUDED.target_port, protocol = EXCLUDED.protocol
     RETURNING *`,
    [rule.containerId, rule.externalPort, rule.targetPort, rule.protocol],
  );
  const row = rows[0];
  if (!row) throw new Error('the ingress upsert returned no row');
  return toRow(row);
}

export async function deleteIngressRule(db: Queryable, containerId: string, externalPort: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM ingress_rules WHERE container_id = $1 AND external_port = $2', [
    containerId,
    externalPort,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function listIngressRules(db: Queryable, containerId: string): Promise<IngressRow[]> {
  const { rows } = await db.query<DbRule>('SELECT * FROM ingress_rules WHERE container_id = $1 ORDER BY external_port', [containerId]);
  return rows.map(toRow);
}

/** Rules of many containers at once. */
export async function ingressRulesOf(db: Queryable, containerIds: readonly string[]): Promise<Map<string, IngressRow[]>> {
  const result = new Map<string, IngressRow[]>(containerIds.map((id) => [id, []]));
  if (!containerIds.length) return result;
  const { rows } = await db.query<DbRule>('SELECT * FROM ingress_rules WHERE container_id = ANY($1::text[]) ORDER BY external_port', [
    containerIds,
  ]);
  for (const row of rows) result.get(row.container_id)?.push(toRow(row));
  return result;
}
