import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ComputeDeps } from './context';
import { ContainerSockets } from './live/container-sockets';
import { mountContainerSocket } from './live/container-feed';
import { mountAdminRoutes } from './routes/admin';
import { mountContainerSettingRoutes } from './routes/container-settings';
import { mountContainerRoutes } from './routes/containers';
import { mountImageRoutes } from './routes/images';
import { mountInternalRoutes } from './routes/internal';
import { mountSshKeyRoutes } from './routes/ssh-keys';

/**
 * Users' containers: SSH keys, ingress ports and live status. Routes only change the desired state (and kick the
 * reconciler); `sockets` are this replica's `/compute/ws` connections, fed by startContainerFeed from NATS.
 */
export function createApp(deps: ComputeDeps) {
  const sockets = new ContainerSockets();
  mountContainerSocket(deps, sockets);
  const app = createServiceApp(serviceAppOptions('compute', deps), (routes) => {
    mountInternalRoutes(routes, deps);
    mountAdminRoutes(routes, deps);
    mountImageRoutes(routes, deps);
    mountSshKeyRoutes(routes, deps);
    mountContainerRoutes(routes, deps);
    mountContainerSettingRoutes(routes, deps);
  });
  return Object.assign(app, { sockets });
}
