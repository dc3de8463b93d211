import { constants } from 'node:fs';
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from './process-supervision';

/**
 * Memory and process limits: cgroup v2 when the unified hierarchy has memory and pids, cgroup v1 when its memory and
 * pids hierarchies are writable, otherwise prlimit (a data-segment limit only: RLIMIT_NPROC does not bind root).
 */
export type LimitMode = 'cgroup2' | 'cgroup1' | 'prlimit';

export interface LimitPlan {
  mode: LimitMode;
  /** Directories created for this sandbox (memory first), removed with it. */
  cgroupDirs: string[];
  /** Files the launcher writes its pid to. */
  procsFiles: string[];
  prlimit: string[];
}

interface Hierarchy {
  mode: LimitMode;
  /** Parent directories for sandboxes' cgroups: one (v2) or memory, pids and, when writable, cpuacct (v1). */
  parents: string[];
}

const CGROUP_ROOT = '/sys/fs/cgroup';
const GROUP_NAME = 'edd-sandbox';

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => true,
    () => false,
  );
}

/** This process's path in a v1 hierarchy (so sandboxes stay inside whatever limits compute itself runs under). */
async function ownV1Path(controller: string): Promise<string> {
  const lines = (await readFile('/proc/self/cgroup', 'utf8')).split('\n');
  const line = lines.find((entry) => entry.split(':')[1]?.split(',').includes(controller));
  return line?.split(':')[2] ?? '/';
}

export async function detectHierarchy(): Promise<Hierarchy> {
  const controllers = await readFile(join(CGROUP_ROOT, 'cgroup.controllers'), 'utf8').catch(() => '');
  if (/\bmemory\b/.test(controllers) && /\bpids\b/.test(controllers) && (await writable(CGROUP_ROOT))) {
    try {
      const parent = join(CGROUP_ROOT, GROUP_NAME);
      await mkdir(parent, { recursive: true });
      await writeFile(join(parent, 'cgroup.subtree_control'), '+memory +pids');
      return { mode: 'cgroup2', parents: [parent] };
    } catch {
      // Delegation refused (e.g. a container without cgroup namespace rights): try the next mode.
    }
  }
  const [memoryRoot, pidsRoot] = [join(CGROUP_ROOT, 'memory'), join(CGROUP_ROOT, 'pids')];
  if ((await writable(memoryRoot)) && (await writable(pidsRoot))) {
    try {
      const parents = [join(memoryRoot, await ownV1Path('memory'), GROUP_NAME), join(pidsRoot, await ownV1Path('pids'), GROUP_NAME)];
      for (const parent of parents) await mkdir(parent, { recursive: true });
      // Only measures (CPU time per sandbox), limits nothing: without it the sandboxes still run.
      const cpuacctRoot = join(CGROUP_ROOT, 'cpuacct');
      if (await writable(cpuacctRoot)) {
        const parent = join(cpuacctRoot, await ownV1Path('cpuacct'), GROUP_NAME);
        if (
          await mkdir(parent, { recursive: true }).then(
            () => true,
            () => false,
          )
        )
          parents.push(parent);
      }
      return { mode: 'cgroup1', parents };
    } catch {
      // Not writable after all: fall through to prlimit.
    }
  }
  return { mode: 'prlimit', parents: [] };
}

export async function prepareLimits(hierarchy: Hierarchy, id: string, memoryMb: number, pidsMax: number): Promise<LimitPlan> {
  const memoryBytes = String(Math.max(16, memoryMb) * 1024 * 1024);
  if (hierarchy.mode === 'prlimit') {
    return { mode: 'prlimit', cgroupDirs: [], procsFiles: [], prlimit: [`--data=${memoryBytes}`] };
  }
  const cgroupDirs = hierarchy.parents.map((parent) => join(parent, id));
  for (const dir of cgroupDirs) await mkdir(dir, { recursive: true });
  await applyLimits({ mode: hierarchy.mode, cgroupDirs, procsFiles: [], prlimit: [] }, memoryMb, pidsMax);
  return { mode: hierarchy.mode, cgroupDirs, procsFiles: cgroupDirs.map((dir) => join(dir, 'cgroup.procs')), prlimit: [] };
}

/** Sets the limits on existing cgroups (also used to change a running sandbox's memory). */
export async function applyLimits(plan: LimitPlan, memoryMb: number, pidsMax: number): Promise<void> {
  const memoryBytes = String(Math.max(16, memoryMb) * 1024 * 1024);
  const [first = '', second = ''] = plan.cgroupDirs;
  if (plan.mode === 'cgroup2') {
    await writeFile(join(first, 'memory.max'), memoryBytes);
    await writeFile(join(first, 'pids.max'), String(pidsMax));
  } else if (plan.mode === 'cgroup1') {
    await writeFile(join(first, 'memory.limit_in_bytes'), memoryBytes);
    await writeFile(join(second, 'pids.max'), String(pidsMax));
  }
}

export async function memoryUsage(plan: LimitPlan): Promise<number | undefined> {
  const file = plan.mode === 'cgroup2' ? 'memory.current' : plan.mode === 'cgroup1' ? 'memory.usage_in_bytes' : undefined;
  if (!file || !plan.cgroupDirs[0]) return undefined;
  const text = await readFile(join(plan.cgroupDirs[0], file), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : Number(text.trim());
}

/**
 * CPU time the sandbox's processes used: cgroup v2 `cpu.stat` (`usage_usec` is there with or without the cpu
 * controller), cgroup v1 `cpuacct.usage` when the cpuacct hierarchy was joined; undefined otherwise (prlimit).
 */
export async function cpuUsageSeconds(plan: LimitPlan): Promise<number | undefined> {
  const [first, , cpuacct] = plan.cgroupDirs;
  if (plan.mode === 'cgroup2' && first) {
    const text = await readFile(join(first, 'cpu.stat'), 'utf8').catch(() => '');
    const usec = /^usage_usec (\d+)$/m.exec(text)?.[1];
    return usec === undefined ? undefined : Number(usec) / 1e6;
  }
  if (plan.mode !== 'cgroup1' || !cpuacct) return undefined;
  // Nanoseconds.
  const text = await readFile(join(cpuacct, 'cpuacct.usage'), 'utf8').catch(() => undefined);
  return text === undefined || !/^\d+\s*$/.test(text) ? undefined : Number(text) / 1e9;
}

/** Kills anything left in the cgroups, then removes them (a cgroup with members cannot be removed). */
export async function removeLimits(plan: LimitPlan): Promise<void> {
  for (const dir of plan.cgroupDirs) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const members = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const pid of members.split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Exited meanwhile.
        }
      }
      const removed = await rmdir(dir).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
      );
      if (removed) break;
      await sleep(40);
    }
  }
}

export function describeLimits(mode: LimitMode): string | undefined {
  return mode === 'prlimit'
    ? 'no writable cgroups here: memory is limited with prlimit (data segment), the process count is not limited'
    : undefined;
}
