import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLUSTER_FILES_DIR, renderClusterNatsConfig, renderStreamConfigs } from './cluster-config';

// `npx tsx tools/nats/generate.ts`: rewrites manifests/nats/ from eventPublishers and the stream definitions.
const dir = join(fileURLToPath(new URL('../..', import.meta.url)), CLUSTER_FILES_DIR);
const streamsDir = join(dir, 'streams');
mkdirSync(streamsDir, { recursive: true });
writeFileSync(join(dir, 'nats.conf'), renderClusterNatsConfig());
const streams = renderStreamConfigs();
for (const stale of readdirSync(streamsDir).filter((file) => !(file in streams))) rmSync(join(streamsDir, stale));
for (const [file, content] of Object.entries(streams)) writeFileSync(join(streamsDir, file), content);
process.stdout.write(`wrote ${CLUSTER_FILES_DIR}/nats.conf and ${Object.keys(streams).length} stream files\n`);
