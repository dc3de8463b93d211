import type { HealthNode } from '@edd/api-client';
import { coresOf, formatBytes } from './format';
import { Gauge } from './gauge';

const KI = 1024;
const kibibytes = (quantity: string) => Number(quantity.replace(/Ki$/, '')) * KI;

/** One node: CPU, memory and disk gauges, load and network, and any pressure the node reports. */
export function NodeCard({ node }: { node: HealthNode }) {
  const pressures = node.conditions.filter((c) => c.status === 'True');
  return (
    <li className="tile node-card" data-testid="node-card" aria-label={`Node ${node.name}`}>
      <h3>{node.name}</h3>
      {pressures.map((c) => (
        <p key={c.type} className="badge badge-danger">
          {c.type}
        </p>
      ))}
      <Gauge
        label="CPU"
        testId="gauge-cpu"
        percent={node.cpu_percent}
        detail={`${coresOf(node.cpu_usage).toFixed(2)} of ${coresOf(node.cpu_capacity)} cores`}
      />
      <Gauge
        label="Memory"
        testId="gauge-memory"
        percent={node.memory_percent}
        detail={`${formatBytes(kibibytes(node.memory_usage))} of ${formatBytes(kibibytes(node.memory_capacity))}`}
      />
      <Gauge
        label="Disk"
        testId="gauge-disk"
        percent={node.disk_percent}
        detail={`${formatBytes(node.disk_usage)} of ${formatBytes(node.disk_capacity)}`}
      />
      <p className="muted">
        {node.load_1 !== undefined && <>Load {node.load_1.toFixed(2)} · </>}
        {node.network_rx_bytes_per_sec !== undefined && (
          <>
            Network ↓ {formatBytes(node.network_rx_bytes_per_sec)}/s ↑ {formatBytes(node.network_tx_bytes_per_sec ?? 0)}/s
          </>
        )}
      </p>
    </li>
  );
}
