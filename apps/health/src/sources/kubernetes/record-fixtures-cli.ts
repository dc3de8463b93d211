/**
 * Records the answers of the cluster KUBECONFIG points at into a fixture directory:
 *   KUBECONFIG=~/.kube/config npx tsx apps/health/src/sources/kubernetes/record-fixtures-cli.ts <directory>
 * then `HEALTH_K8S_FIXTURES=<directory> npx vitest run apps/health/src/sources/kubernetes` runs the source's
 * recorded-set checks on them. It only reads (GET), with the kubeconfig's own credentials.
 */
import { pathToFileURL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { recordFixtures } from './record-fixtures';

const target = process.argv[2];
if (!target) {
  console.error('usage: record-fixtures-cli.ts <directory>');
  process.exit(2);
}
try {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const recorded = await recordFixtures(kubeConfig, pathToFileURL(target.endsWith('/') ? target : `${target}/`));
  console.log(`recorded ${recorded.files.length} answers into ${target}`);
  for (const path of recorded.missing) console.log(`not answered (left out): ${path}`);
} catch (error) {
  console.error(`recording failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
