import { provisionServiceDatabase } from '@edd/db';

/**
 * The `provision-database` init container of every Deployment with a database (manifests/apps/*.yaml):
 * with the administrator's URL, makes the service's role and database (libs/db provisionServiceDatabase)
 * before the service starts. Bundled into every service image as /app/provision/main.mjs.
 *
 *   POSTGRES_ADMIN_URL=postgres://postgres:…@host:5432/postgres SERVICE_DATABASE=auth_db \
 *   SERVICE_ROLE=auth_svc SERVICE_DATABASE_PASSWORD=… node /app/provision/main.mjs
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

try {
  const database = required('SERVICE_DATABASE');
  const role = required('SERVICE_ROLE');
  const result = await provisionServiceDatabase(required('POSTGRES_ADMIN_URL'), {
    database,
    role,
    password: required('SERVICE_DATABASE_PASSWORD'),
  });
  console.log(
    JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'database provisioned', database, role, outcome: result }),
  );
} catch (error) {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'provisioning failed', error: String(error) }));
  process.exitCode = 1;
}
