import type { ContainerStatus, DesiredState, PullPolicy } from '@edd/api-contracts';
import type { Queryable } from '@edd/outbox';

/** A container as stored: desired state (the user's) next to what the runtime was last seen doing. */
export interface ContainerRow {
  id: string;
  ownerId: string;
  name: string;
  instanceType: string;
  cpuMillis: number;
  memoryMb: number;
  storageGb: number;
  image: string;
  pullPolicy: PullPolicy;
  sshEnabled: boolean;
  mountPaths: string[];
  desiredState: DesiredState;
  status: ContainerStatus;
  address: string | null;
  statusMessage: string | null;
  restarts: number;
  failures: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Raised with every change an event reports (bumpContainerVersion): orders a container's events and lists. */
  version: number;
}

interface DbContainer {
  id: string;
  owner_id: string;
  name: string;
  instance_type: string;
  cpu_millis: number;
  memory_mb: number;
  storage_gb: number;
  image: string;
  pull_policy: PullPolicy;
  ssh_enabled: boolean;
  mount_paths: string[];
  desired_state: DesiredState;
  status: ContainerStatus;
  address: string | null;
  status_message: string | null;
  restarts: number;
  failures: number;
  next_attempt_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** bigint: node-postgres returns it as a string. */
  version: string;
}

/** The one row a statement on an existing container returned (the caller holds its lock). */
function only(rows: DbContainer[], id: string): DbContainer {
  const row = rows[0];
  if (!row) throw new Error(`container ${id} vanished while it was locked`);
  return row;
}

const toRow = (r: DbContainer): ContainerRow => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  instanceType: r.instance_type,
  cpuMillis: r.cpu_millis,
  memoryMb: r.memory_mb,
  storageGb: r.storage_gb,
  image: r.image,
  pullPolicy: r.pull_policy,
  sshEnabled: r.ssh_enabled,
  mountPaths: r.mount_paths,
  desiredState: r.desired_state,
  status: r.status,
  address: r.address,
  statusMessage: r.status_message,
  restarts: r.restarts,
  failures: r.failures,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export type NewContainer = Pick<
  ContainerRow,
  'id' | 'ownerId' | 'name' | 'instanceType' | 'cpuMillis' | 'memoryMb' | 'storageGb' | 'image' | 'pullPolicy' | 'sshEnabled' | 'mountPaths'
>;

/** Inserts a container that should run; undefined when the owner already has a live one of that name. */
export async function insertContainer(db: Queryable, c: NewContainer): Promise<ContainerRow | undefined> {
  const { rows } = await db.query<DbContainer>(
    `INSERT INTO containers (id, owner_id, name, instance_type, cpu_millis, memory_mb, storage_gb, image, pull_policy, ssh_enabled, mount_paths)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (owner_id, name) WHERE desired_state <> 'deleted' DO NOTHING RETURNING *`,
    [c.id, c.ownerId, c.name, c.instanceType, c.cpuMillis, c.memoryMb, c.storageGb, c.image, c.pullPolicy, c.sshEnabled, c.mountPaths],
  );
  return rows[0] && toRow(rows[0]);
}

/** Live (not deleted) containers of the owner. */
export async function countLiveContainers(db: Queryable, ownerId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM containers WHERE owner_id = $1 AND desired_state <> 'deleted'`,
    [ownerId],
  );
  return rows[0]?.n ?? 0;
}

/** The owner's live container (another user's, or a deleted one, is not found: the routes answer 404 alike). */
export async function findOwnedContainer(
  db: Queryable,
  ownerId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ContainerRow | undefined> {
  const { rows } = await db.query<DbContainer>(
    `SELECT * FROM containers WHERE id = $1 AND owner_id = $2 AND desired_state <> 'deleted'${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id, ownerId],
  );
  return rows[0] && toRow(rows[0]);
}

/** Any container, deleted ones included (the reconciler and the internal API). */
export async function findContainer(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<ContainerRow | undefined> {
  const { rows } = await db.query<DbContainer>(`SELECT * FROM containers WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] && toRow(rows[0]);
}

export async function listContainersOf(db: Queryable, ownerId: string): Promise<ContainerRow[]> {
  const { rows } = await db.query<DbContainer>(
    `SELECT * FROM containers WHERE owner_id = $1 AND desired_state <> 'deleted' ORDER BY created_at, id`,
    [ownerId],
  );
  return rows.map(toRow);
}

export async function listLiveContainers(db: Queryable): Promise<ContainerRow[]> {
  const { rows } = await db.query<DbContainer>(`SELECT * FROM containers WHERE desired_state <> 'deleted' ORDER BY created_at, id`);
  return rows.map(toRow);
}

/** Every container the reconciler must look at: all rows (deleted ones stay until the runtime removed them). */
export async function listAllContainerIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM containers ORDER BY created_at, id');
  return rows.map((r) => r.id);
}

export async function listRunningContainers(db: Queryable): Promise<ContainerRow[]> {
  const { rows } = await db.query<DbContainer>(
    `SELECT * FROM containers WHERE status = 'running' AND desired_state = 'running' ORDER BY id`,
  );
  return rows.map(toRow);
}

/** The owner's containers that should run and trust the key (their authorized_keys change with it). */
export async function listContainersTrusting(db: Queryable, keyId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT c.id FROM containers c JOIN container_keys k ON k.container_id = c.id WHERE k.key_id = $1 AND c.desired_state = 'running'`,
    [keyId],
  );
  return rows.map((r) => r.id);
}

/** What the user asks of it; resets the backoff, so the reconciler acts at once. */
export async function setDesiredState(db: Queryable, id: string, desired: DesiredState): Promise<ContainerRow> {
  const { rows } = await db.query<DbContainer>(
    `UPDATE containers SET desired_state = $2, failures = 0, next_attempt_at = NULL, updated_at = now(),
       status = CASE WHEN $2 = 'running' AND status <> 'running' THEN 'pending' ELSE status END,
       status_message = CASE WHEN $2 = 'running' AND status <> 'running' THEN NULL ELSE status_message END
     WHERE id = $1 RETURNING *`,
    [id, desired],
  );
  return toRow(only(rows, id));
}

/** The user-editable settings; each call changes only the fields it names. */
export async function updateSettings(
  db: Queryable,
  id: string,
  settings: Partial<Pick<ContainerRow, 'pullPolicy' | 'sshEnabled' | 'mountPaths'>>,
): Promise<ContainerRow> {
  const { rows } = await db.query<DbContainer>(
    `UPDATE containers SET pull_policy = coalesce($2, pull_policy), ssh_enabled = coalesce($3, ssh_enabled),
       mount_paths = coalesce($4, mount_paths), updated_at = now() WHERE id = $1 RETURNING *`,
    [id, settings.pullPolicy ?? null, settings.sshEnabled ?? null, settings.mountPaths ?? null],
  );
  return toRow(only(rows, id));
}

export interface ObservedState {
  status: ContainerStatus;
  address: string | null;
  statusMessage: string | null;
  restarts: number;
  failures: number;
  nextAttemptAt: Date | null;
}

/** What the reconciler saw; `started_at`/`stopped_at` follow the status. */
export async function recordObserved(db: Queryable, id: string, observed: ObservedState): Promise<ContainerRow | undefined> {
  const { rows } = await db.query<DbContainer>(
    `UPDATE containers SET status = $2, address = $3, status_message = $4, restarts = $5, failures = $6, next_attempt_at = $7,
       updated_at = CASE WHEN status IS DISTINCT FROM $2 OR address IS DISTINCT FROM $3 THEN now() ELSE updated_at END,
       started_at = CASE WHEN $2 = 'running' AND status <> 'running' THEN now() ELSE started_at END,
       stopped_at = CASE WHEN $2 = 'stopped' AND status <> 'stopped' THEN now() ELSE stopped_at END
     WHERE id = $1 RETURNING *`,
    [id, observed.status, observed.address, observed.statusMessage, observed.restarts, observed.failures, observed.nextAttemptAt],
  );
  return rows[0] && toRow(rows[0]);
}

/** The row goes once the runtime removed everything; keys links, rules and secrets follow by cascade. */
export async function deleteContainerRow(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM containers WHERE id = $1 AND desired_state = 'deleted'`, [id]);
}

/** A user's deletion: every live container of theirs is to be removed. Returns the ones flagged now. */
export async function markUserContainersDeleted(db: Queryable, ownerId: string): Promise<ContainerRow[]> {
  const { rows } = await db.query<DbContainer>(
    `UPDATE containers SET desired_state = 'deleted', updated_at = now(), failures = 0, next_attempt_at = NULL
     WHERE owner_id = $1 AND desired_state <> 'deleted' RETURNING *`,
    [ownerId],
  );
  return rows.map(toRow);
}

/** Serialises a user's container creations: the per-user row is locked until the transaction ends. */
export async function lockComputeUser(db: Queryable, userId: string): Promise<void> {
  await db.query('INSERT INTO compute_users (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING', [userId]);
  await db.query('SELECT user_id FROM compute_users WHERE user_id = $1 FOR UPDATE', [userId]);
}

/**
 * Takes (or renews) the reconcile lease of a container for `owner` during `ms`; false when another replica holds an
 * unexpired one. A replica that dies mid-way loses it when it expires.
 */
export async function takeLease(db: Queryable, id: string, owner: string, ms: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE containers SET lease_owner = $2, lease_until = now() + make_interval(secs => $3::float8 / 1000)
     WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until < now())`,
    [id, owner, ms],
  );
  return (rowCount ?? 0) > 0;
}

export async function releaseLease(db: Queryable, id: string, owner: string): Promise<void> {
  await db.query('UPDATE containers SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2', [id, owner]);
}

/**
 * Raises the container's version in the caller's transaction and returns it. The row lock this takes orders
 * concurrent changes of one container: each transaction gets the version after the last one committed.
 */
export async function bumpContainerVersion(db: Queryable, id: string): Promise<number> {
  const { rows } = await db.query<{ version: string }>('UPDATE containers SET version = version + 1 WHERE id = $1 RETURNING version', [id]);
  const row = rows[0];
  if (!row) throw new Error(`container ${id} has no row to version`);
  return Number(row.version);
}
