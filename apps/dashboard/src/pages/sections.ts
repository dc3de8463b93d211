/** The platform's sections; `available` turns true when the service behind it ships. */
export interface Section {
  path: string;
  label: string;
  service: string;
  summary: string;
  available: boolean;
}

export const serviceSections: readonly Section[] = [
  {
    path: '/storage',
    label: 'Storage',
    service: 'storage',
    summary: 'Namespaces and files, shared by link or kept private.',
    available: true,
  },
  {
    path: '/compute',
    label: 'Compute',
    service: 'compute',
    summary: 'Containers with their own ingress ports and SSH access.',
    available: true,
  },
  { path: '/health', label: 'Health', service: 'health', summary: 'Cluster nodes, pods and recent error logs.', available: true },
  {
    path: '/notifications',
    label: 'Notifications',
    service: 'notifications',
    summary: 'Messages from the services about your resources.',
    available: true,
  },
];
