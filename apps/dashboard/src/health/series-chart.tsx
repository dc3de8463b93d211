import type { SeriesPoint } from '@edd/api-client';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const SERIES = [
  { key: 'cpu', label: 'CPU %', stroke: '#2563eb' },
  { key: 'mem', label: 'Memory %', stroke: '#137333' },
  { key: 'disk', label: 'Disk %', stroke: '#b45309' },
] as const;

/** One node's CPU, memory and disk over time (uPlot on a canvas; a table-free summary is in the caption). */
export function SeriesChart({ title, points, span }: { title: string; points: SeriesPoint[]; span: { start: string; end: string } }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const xStart = Date.parse(span.start) / 1000;
    const xEnd = Date.parse(span.end) / 1000;
    const data: uPlot.AlignedData = [points.map((p) => p.t / 1000), ...SERIES.map((s) => points.map((p) => p[s.key]))];
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 220,
        // The whole asked window, not just where points are: a young history shows as young.
        scales: { x: { time: true, range: [xStart, xEnd] }, y: { range: [0, 100] } },
        series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5 }))],
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t}%`) }],
      },
      data,
      element,
    );
    const resize = () => chart.setSize({ width: Math.max(280, element.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.destroy();
    };
  }, [points, span.start, span.end]);

  const last = points.at(-1);
  return (
    <figure className="series-chart" data-testid="series-chart">
      <figcaption>
        <strong>{title}</strong>{' '}
        <span className="muted">
          {points.length} points
          {last && ` · latest CPU ${last.cpu.toFixed(1)} %, memory ${last.mem.toFixed(1)} %, disk ${last.disk.toFixed(1)} %`}
        </span>
      </figcaption>
      <div ref={host} aria-hidden="true" />
    </figure>
  );
}
