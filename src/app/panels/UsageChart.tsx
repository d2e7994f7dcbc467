// One usage sparkline (issue 10 part 4b): a resource's usage over the last
// 10 minutes of metrics-server's rounds, its current value in kubectl top's
// units, and the request/limit or allocatable as dashed reference lines.
// The geometry is usage-view.ts's sparkline() (d3-scale and d3-shape); this draws it as SVG in a
// fixed viewBox stretched to the column (strokes do not scale with it).
// Colours come from the theme's variables, so it reads in light and dark.
import { Fragment, memo } from 'react';
import { sparkline, USAGE_WINDOW_MS, type UsageSeries } from '../store/usage-view';

const W = 300;
const H = 56;
const TITLES = { cpu: 'CPU', memory: 'Memory' } as const;

export const UsageChart = memo(function UsageChart({ series }: { series: UsageSeries }) {
  const g = sparkline(series, W, H);
  const title = TITLES[series.resource];
  const refs = series.references.map((r) => r.text).join(' · ');
  const label = `${title} usage over the last ${USAGE_WINDOW_MS / 60_000} minutes: ${series.currentText} now${refs ? `; ${refs}` : ''}`;
  return (
    <figure className="usage-chart" data-testid="usage-chart" data-resource={series.resource} data-points={series.points.length} aria-label={label}>
      <figcaption className="usage-caption">
        <span className="usage-title">{title}</span>
        <span className="usage-value mono" data-testid="usage-value">
          {series.currentText}
        </span>
        {series.references.length > 0 && (
          <span className="usage-refs">
            {series.references.map((r, i) => (
              <Fragment key={r.label}>
                {i > 0 && ' · '}
                <span className={`usage-ref-text usage-ref-text-${r.label}`}>{r.text}</span>
              </Fragment>
            ))}
          </span>
        )}
      </figcaption>
      <svg className="usage-svg" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true">
        <line className="usage-baseline" x1={0} x2={W} y1={H - 2} y2={H - 2} vectorEffect="non-scaling-stroke" />
        <path className="usage-area" d={g.area} />
        {g.references.map((r) => (
          <line key={r.label} className={`usage-ref usage-ref-${r.label}`} x1={0} x2={W} y1={r.y} y2={r.y} vectorEffect="non-scaling-stroke" />
        ))}
        <path className="usage-line" d={g.line} vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="usage-axis" aria-hidden="true">
        <span>−{USAGE_WINDOW_MS / 60_000} min</span>
        <span>{series.points.length === 1 ? '1 sample' : `${series.points.length} samples`}</span>
        <span>latest</span>
      </div>
    </figure>
  );
});
