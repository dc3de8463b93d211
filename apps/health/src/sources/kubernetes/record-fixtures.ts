import { mkdir, writeFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { CLUSTER_PATHS, statsSummaryPath } from './kube-api';
import type { KubeNode } from './kube-api';
import { kubeGetJson } from './kube-get';
import { CLUSTER_ANSWERS, FIXTURE_FILES, statsSummaryFile } from './fixture-api-server';

export interface RecordedSet {
  /** Files written, in the order asked. */
  files: string[];
  /** API paths that did not answer (a missing metrics-server, an unreachable kubelet): recorded as absent. */
  missing: string[];
}

/**
 * Records a cluster's answers to every path the source reads into `directory`, in the layout the fixture API server
 * serves, so the source's tests can run on a real cluster's responses (`record-fixtures-cli.ts`). The answers are
 * written as the API sent them (pretty-printed); they may name the cluster's nodes, pods and addresses.
 */
export async function recordFixtures(kubeConfig: KubeConfig, directory: URL): Promise<RecordedSet> {
  await mkdir(directory, { recursive: true });
  const recorded: RecordedSet = { files: [], missing: [] };
  const record = async (path: string, file: string, required: boolean): Promise<unknown> => {
    let answer: unknown;
    try {
      answer = await kubeGetJson(kubeConfig, path);
    } catch (error) {
      if (required) throw error;
      recorded.missing.push(path);
      return undefined;
    }
    await writeFile(new URL(file, directory), `${JSON.stringify(answer, null, 2)}\n`);
    recorded.files.push(file);
    return answer;
  };
  // The Node and Pod lists are what a sample cannot do without; metrics and summaries may be missing on a cluster.
  const answers: Partial<Record<string, unknown>> = {};
  for (const answer of CLUSTER_ANSWERS) {
    const required = answer === 'nodes' || answer === 'pods';
    answers[answer] = await record(CLUSTER_PATHS[answer], FIXTURE_FILES[answer], required);
  }
  const nodes = answers.nodes as { items?: KubeNode[] };
  for (const node of nodes.items ?? []) {
    const name = node.metadata?.name;
    if (name) await record(statsSummaryPath(name), statsSummaryFile(name), false);
  }
  return recorded;
}
