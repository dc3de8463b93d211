import { streamDefinitions } from '@edd/events';
import { passwordEnvVar, renderNatsConfig } from './server-config';

/**
 * What the manifests give the cluster's NATS, generated from the same map as `npm start`'s config and
 * committed under manifests/nats/ (`npx tsx tools/nats/generate.ts` rewrites them; a test checks they
 * are current). Passwords are never in these files: nats-server reads `$NATS_PASSWORD_<USER>` from its
 * environment, which the StatefulSet fills from the edd-platform-secrets Secret.
 */
export const CLUSTER_FILES_DIR = 'manifests/nats';

export function renderClusterNatsConfig(): string {
  return renderNatsConfig({
    password: (user) => ({ env: passwordEnvVar(user) }),
    preamble: [
      'listen: 0.0.0.0:4222',
      '# Monitoring for the kubelet probes (GET /healthz); in no Service.',
      'http: 0.0.0.0:8222',
      'jetstream { store_dir: "/data" }',
    ],
  });
}

/**
 * One JSON stream configuration per stream, in the JetStream API's shape (what `nats stream add
 * --config` sends), for the nats-streams Job: services may not create or change streams.
 */
export function renderStreamConfigs(): Record<string, string> {
  return Object.fromEntries(
    streamDefinitions.map((def) => [
      `${def.name}.json`,
      `${JSON.stringify(
        {
          // Server defaults spelled out, so the file is complete for the CLI.
          ...def,
          discard: 'old',
          max_consumers: -1,
          max_msg_size: -1,
          max_msgs_per_subject: -1,
          num_replicas: 1,
        },
        null,
        2,
      )}\n`,
    ]),
  );
}
