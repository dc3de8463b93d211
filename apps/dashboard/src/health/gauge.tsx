import { formatPercent } from './format';

/** A labelled percentage bar: amber from 75 %, red from 90 % (where the alert rules start). */
export function Gauge({ label, percent, detail, testId }: { label: string; percent: number; detail?: string; testId?: string }) {
  const clamped = Math.max(0, Math.min(100, percent));
  const level = clamped >= 90 ? 'high' : clamped >= 75 ? 'raised' : 'normal';
  return (
    <div className="gauge" data-testid={testId}>
      <div className="gauge-label">
        <span>{label}</span>
        <span className="gauge-value" data-testid={testId ? `${testId}-value` : undefined}>
          {formatPercent(percent)}
        </span>
      </div>
      <div
        className={`gauge-track gauge-${level}`}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped * 10) / 10}
      >
        <div className="gauge-fill" style={{ width: `${clamped}%` }} />
      </div>
      {detail && <p className="muted gauge-detail">{detail}</p>}
    </div>
  );
}
