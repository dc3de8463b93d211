import { startService } from '@edd/service-runtime';
import { createApp } from './app';

await startService({
  name: 'logs',
  defaultPort: 4005,
  events: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
