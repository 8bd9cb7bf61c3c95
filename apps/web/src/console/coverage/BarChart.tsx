/**
 * A plain SVG bar chart (no chart library: the console stays small). The picture is labelled for
 * screen readers with its summary, and the same numbers are always available as a table.
 */
import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** A second, smaller figure drawn inside the bar (e.g. doors reached of doors visited). */
  inner?: number;
}

export function BarChart({ bars, title, summary }: { bars: Bar[]; title: string; summary: string }) {
  const id = useId();
  const width = 720;
  const height = 220;
  const top = 12;
  const bottom = 36;
  const left = 40;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plot = height - top - bottom;
  const step = bars.length > 0 ? (width - left) / bars.length : 0;
  const barWidth = Math.max(2, Math.min(48, step * 0.7));
  const y = (v: number) => top + plot - (plot * v) / max;
  // Only some labels fit under many bars: about one every 48 pixels.
  const every = Math.max(1, Math.ceil(48 / Math.max(step, 1)));
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="dash-bar-chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{summary}</desc>
      <line x1={left} x2={width} y1={top + plot} y2={top + plot} stroke="#555" />
      <text x={left - 6} y={top + 4} textAnchor="end" fontSize="12" fill="#333">
        {max}
      </text>
      <text x={left - 6} y={top + plot} textAnchor="end" fontSize="12" fill="#333">
        0
      </text>
      {bars.map((b, i) => {
        const x = left + i * step + (step - barWidth) / 2;
        return (
          <g key={`${b.label}-${i}`}>
            <rect x={x} y={y(b.value)} width={barWidth} height={top + plot - y(b.value)} fill="#1f3a5f">
              <title>{`${b.label}: ${b.value}`}</title>
            </rect>
            {b.inner !== undefined && b.inner > 0 && (
              <rect x={x + barWidth * 0.25} y={y(b.inner)} width={barWidth * 0.5} height={top + plot - y(b.inner)} fill="#f2b134" />
            )}
            {i % every === 0 && (
              <text x={x + barWidth / 2} y={height - bottom + 16} textAnchor="middle" fontSize="11" fill="#333">
                {b.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
