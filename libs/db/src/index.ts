export { openDatabase } from './open-database';
export type { Database, OpenDatabaseOptions } from './open-database';
export { ensureDatabase, databaseUrl } from './ensure-database';
export { loadMigrations, migrate } from './migrate';
export type { Migration } from './migrate';
