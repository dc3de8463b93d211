/**
 * The apps that keep data in PostgreSQL: each has its own database and its own login role, which
 * owns that database and nothing else. Read by `npm start` (postgres-roles.ts) and the manifests test.
 */
export interface ServiceDatabaseName {
  app: string;
  database: string;
  role: string;
}

const service = (app: string): ServiceDatabaseName => ({ app, database: `${app}_db`, role: `${app}_svc` });

export const SERVICE_DATABASES: readonly ServiceDatabaseName[] = [
  service('gateway'),
  service('auth'),
  service('storage'),
  service('compute'),
  // health and logs get their databases with their first migrations; their roles exist already.
  service('health'),
  service('logs'),
  service('notifications'),
];
