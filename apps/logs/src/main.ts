import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { logsConfigShape, logsServiceParts } from './logs-service';

// The entry only names what logs needs; the shared runtime reads the config, connects, listens and shuts down.
// Beyond the skeleton (logs-service.ts): the live tier (a JetStream stream), the archive writer (live tier ->
// logs_db) and the gRPC port (ingestion, grpc.health.v1).
const parts = logsServiceParts();

await startService({
  name: 'logs',
  defaultPort: 4005,
  configShape: logsConfigShape,
  database: { name: 'logs_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: parts.buildApp,
  startExtras: parts.startExtras,
});
