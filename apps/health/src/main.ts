import { startService } from '@edd/service-runtime';
import { createApp } from './app';

// The entry only names what health needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'health',
  defaultPort: 4004,
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
