export { openDatabase } from './open-database';
export type { Database, OpenDatabaseOptions } from './open-database';
export { ensureDatabase, databaseUrl } from './ensure-database';
export { migrate } from './migrate';
export { loadMigrations, migrationChecksum } from './migration-files';
export type { Migration } from './migration-files';
export { provisionServiceDatabase, roleServerUrl } from './provision-service-database';
export type { ProvisionResult, ServiceDatabase } from './provision-service-database';
