import { randomUUID } from 'node:crypto';
import type { EventBus, EventData } from '@edd/events';
import type { Logger } from '@edd/logger';
import type { RefusalReason } from './refusal';

/** The counters the SSH plane keeps (GatewayMetrics provides them). */
export interface SshMetricsSink {
  declareCounter(name: string, help: string): void;
  increment(name: string, labels?: Record<string, string>, by?: number): void;
  gauge(name: string, help: string, read: () => number): void;
}

export interface SessionRecord {
  sessionId: string;
  userId: string;
  containerId: string;
  clientAddress: string;
  fingerprint: string;
}

/** Metrics, log lines and `gateway.ssh.session.*` events of the SSH plane, in one place. */
export class SshAudit {
  constructor(
    private readonly logger: Logger,
    private readonly metrics?: SshMetricsSink,
    private readonly bus?: Pick<EventBus, 'publish'>,
  ) {
    metrics?.declareCounter('gateway_ssh_logins_total', 'SSH logins accepted and connected to the container.');
    metrics?.declareCounter('gateway_ssh_refusals_total', 'SSH logins or connections refused, by reason.');
    metrics?.declareCounter('gateway_ssh_sessions_closed_total', 'SSH connections that ended after a successful login.');
    metrics?.declareCounter('gateway_ssh_bytes_total', 'Bytes relayed by SSH channels, by direction (in = client to container).');
  }

  static newSessionId(): string {
    return randomUUID();
  }

  refused(reason: RefusalReason, fields: Record<string, unknown>): void {
    this.metrics?.increment('gateway_ssh_refusals_total', { reason });
    this.logger.info('ssh login refused', { reason, ...fields });
  }

  opened(record: SessionRecord): void {
    this.metrics?.increment('gateway_ssh_logins_total');
    this.logger.info('ssh session opened', { ...record });
    this.publish('gateway.ssh.session.opened', record);
  }

  closed(record: SessionRecord, stats: { bytesIn: number; bytesOut: number; durationMs: number; reason: string }): void {
    this.metrics?.increment('gateway_ssh_sessions_closed_total');
    this.metrics?.increment('gateway_ssh_bytes_total', { direction: 'in' }, stats.bytesIn);
    this.metrics?.increment('gateway_ssh_bytes_total', { direction: 'out' }, stats.bytesOut);
    this.logger.info('ssh session closed', { ...record, ...stats });
    const { reason: _reason, ...counts } = stats;
    this.publish('gateway.ssh.session.closed', { ...record, ...counts });
  }

  private publish(type: 'gateway.ssh.session.opened' | 'gateway.ssh.session.closed', data: EventData<'gateway.ssh.session.closed'>): void {
    if (!this.bus) return;
    // Audit is best effort: a NATS outage must not end or block anyone's session.
    this.bus
      .publish(type, data, { eventId: `${data.sessionId}.${type.endsWith('opened') ? 'opened' : 'closed'}` })
      .catch((error: unknown) => {
        this.logger.warn('ssh audit event not published', { type, sessionId: data.sessionId, error });
      });
  }
}
