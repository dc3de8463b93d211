import { startService } from '@edd/service-runtime';
import { createApp } from './app';

await startService({
  name: 'health',
  defaultPort: 4004,
  events: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
