import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { ContainerSpec } from '../container-runtime';
import { containerLabels, namespaceFor, OBJECT_NAMES, type NamingOptions } from './names';

/** One volume per container holding every mount path (a subPath each); the cluster's default StorageClass unless named. */
export function buildVolumeClaim(spec: ContainerSpec, naming: NamingOptions & { storageClassName?: string }): IPersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: OBJECT_NAMES.volumeClaim, namespace: namespaceFor(spec.id, naming), labels: containerLabels(spec) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(naming.storageClassName ? { storageClassName: naming.storageClassName } : {}),
      resources: { requests: { storage: `${spec.storageGb}Gi` } },
    },
  };
}
