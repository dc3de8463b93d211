import type { Queryable } from './queryable';

export interface UserRow {
  id: number;
  publicId: string;
  username: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, public_id AS "publicId", username, display_name AS "displayName", password_hash AS "passwordHash",
  is_admin AS "isAdmin", created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(username) = lower($1)`, [username]);
  return rows[0];
}

export async function findUserByPublicId(db: Queryable, publicId: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE public_id = $1`, [publicId]);
  return rows[0];
}

export async function listUsers(db: Queryable): Promise<UserRow[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY created_at, id`);
  return rows;
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: string }>('SELECT count(*) AS count FROM users');
  return Number(rows[0]?.count ?? 0);
}

export interface NewUser {
  publicId: string;
  username: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
}

/** Undefined when the username is taken (the unique index decides, so concurrent creates cannot both win). */
export async function insertUser(db: Queryable, user: NewUser): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (public_id, username, display_name, password_hash, is_admin) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [user.publicId, user.username, user.displayName, user.passwordHash, user.isAdmin],
  );
  return rows[0];
}

export async function updateDisplayName(db: Queryable, id: number, displayName: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [
    id,
    displayName,
  ]);
  return rows[0];
}

export async function updatePasswordHash(db: Queryable, id: number, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, passwordHash]);
}

/** Sessions, tokens and service accounts go with the user (ON DELETE CASCADE). */
export async function deleteUser(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM users WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}
