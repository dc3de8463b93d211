import { percentOf, type Snapshot } from '../sources/metric-source';

/**
 * The alert rules, as pure functions of one sample (and of what the previous samples left in RuleMemory): each
 * evaluation returns every condition that holds now. The alert book (alert-book.ts) turns "holds now" into
 * fired / resolved episodes, cooldowns and notifications.
 */

export type Severity = 'warning' | 'critical';
export type RuleName = 'cpu_high' | 'memory_high' | 'disk_high' | 'node_pressure' | 'container_restart' | 'container_oom' | 'error_burst';

export interface ActiveCondition {
  /** One episode per key: a rule on a subject (and, for OOM, one per restart count). */
  key: string;
  rule: RuleName;
  severity: Severity;
  title: string;
  message: string;
  /** A node name, `<namespace>/<pod>`, or a log source. */
  subject: string;
  /** The container's owner, told besides the admins. */
  ownerId?: string;
  /** No second notification for the same key within this long after the last one. */
  cooldownMs: number;
}

export interface Thresholds {
  cpuPercent: number;
  /** Consecutive samples CPU must be above cpuPercent. */
  cpuSamples: number;
  memoryPercent: number;
  diskPercent: number;
  errorBurstCount: number;
  errorBurstWindowMs: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  cpuPercent: 90,
  cpuSamples: 2,
  memoryPercent: 85,
  diskPercent: 90,
  errorBurstCount: 5,
  errorBurstWindowMs: 30_000,
};

const MINUTE = 60_000;
export const DEFAULT_COOLDOWN_MS = 5 * MINUTE;
export const DISK_COOLDOWN_MS = 15 * MINUTE;

/** What one evaluation passes to the next: only keys present in the latest sample are kept (no unbounded maps). */
export interface RuleMemory {
  /** Consecutive samples above the CPU threshold, per node. */
  cpuStreak: Record<string, number>;
  /** Restart count last seen, per `<namespace>/<pod>`. */
  restarts: Record<string, number>;
}

export const emptyMemory = (): RuleMemory => ({ cpuStreak: {}, restarts: {} });

export interface ErrorCount {
  source: string;
  /** ERROR entries from this source within the burst window. */
  count: number;
}

const PRESSURES = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure']);

export function evaluateRules(
  snapshot: Snapshot,
  errors: readonly ErrorCount[],
  memory: RuleMemory,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): { active: ActiveCondition[]; memory: RuleMemory } {
  const active: ActiveCondition[] = [];
  const next: RuleMemory = emptyMemory();

  for (const node of snapshot.nodes) {
    const cpu = percentOf(node.cpuUsedCores, node.cpuCapacityCores);
    const streak = cpu > thresholds.cpuPercent ? (memory.cpuStreak[node.name] ?? 0) + 1 : 0;
    if (streak) next.cpuStreak[node.name] = streak;
    if (streak >= thresholds.cpuSamples) {
      active.push(
        nodeCondition('cpu_high', node.name, 'critical', 'High CPU', `${node.name}: CPU at ${cpu.toFixed(1)} % for ${streak} samples`),
      );
    }
    const mem = percentOf(node.memoryUsedBytes, node.memoryCapacityBytes);
    if (mem > thresholds.memoryPercent) {
      active.push(nodeCondition('memory_high', node.name, 'warning', 'High memory', `${node.name}: memory at ${mem.toFixed(1)} %`));
    }
    const disk = percentOf(node.diskUsedBytes, node.diskCapacityBytes);
    if (disk > thresholds.diskPercent) {
      active.push({
        ...nodeCondition('disk_high', node.name, 'warning', 'Disk almost full', `${node.name}: disk at ${disk.toFixed(1)} %`),
        cooldownMs: DISK_COOLDOWN_MS,
      });
    }
    for (const condition of node.conditions) {
      if (!PRESSURES.has(condition.type) || condition.status !== 'True') continue;
      active.push({
        ...nodeCondition('node_pressure', node.name, 'critical', `${condition.type}`, `${node.name} reports ${condition.type}`),
        key: `node_pressure:${node.name}:${condition.type}`,
      });
    }
  }

  for (const pod of snapshot.pods) {
    const subject = `${pod.namespace}/${pod.name}`;
    const owner = pod.ownerId ? { ownerId: pod.ownerId } : {};
    const before = memory.restarts[subject];
    next.restarts[subject] = pod.restarts;
    if (pod.oomKilled) {
      // Once per restart count, no cooldown: every OOM kill is news.
      active.push({
        key: `container_oom:${subject}:${pod.restarts}`,
        rule: 'container_oom',
        severity: 'critical',
        title: 'Container killed: out of memory',
        message: `${subject} was killed for using more memory than its limit`,
        subject,
        cooldownMs: 0,
        ...owner,
      });
    }
    if (before !== undefined && pod.restarts > before) {
      active.push({
        key: `container_restart:${subject}`,
        rule: 'container_restart',
        severity: 'warning',
        title: 'Container restarted',
        message: `${subject} restarted (${pod.restarts - before} more, ${pod.restarts} in all)`,
        subject,
        cooldownMs: DEFAULT_COOLDOWN_MS,
        ...owner,
      });
    }
  }

  for (const { source, count } of errors) {
    if (count < thresholds.errorBurstCount) continue;
    active.push({
      key: `error_burst:${source}`,
      rule: 'error_burst',
      severity: 'warning',
      title: 'Error burst',
      message: `${source}: ${count} ERROR log entries within ${Math.round(thresholds.errorBurstWindowMs / 1000)} s`,
      subject: source,
      cooldownMs: DEFAULT_COOLDOWN_MS,
    });
  }
  return { active, memory: next };
}

function nodeCondition(rule: RuleName, node: string, severity: Severity, title: string, message: string): ActiveCondition {
  return { key: `${rule}:${node}`, rule, severity, title, message, subject: node, cooldownMs: DEFAULT_COOLDOWN_MS };
}
