import type { I18n } from "../i18n";

export interface LinePoint {
  /** What the point is, as a reader says it (a date). */
  label: string;
  value: number;
}

const WIDTH = 400;
const HEIGHT = 160;
/** Room for the value labels on the left and the first/last labels below the line. */
const LEFT = 44;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;

/**
 * A line over time drawn on the server as SVG, in the style of `BarChart`: no script, scales with
 * its box at 390 px. Screen readers get its title and a description that lists every point, and
 * everyone can open the same numbers as a table.
 */
export function LineChart(props: {
  i: I18n;
  id: string;
  title: string;
  description: string;
  points: LinePoint[];
  /** Labels of the table's two columns. */
  columns: { label: string; value: string };
  tableSummary: string;
}) {
  const { i, id, points } = props;
  const max = Math.max(1, ...points.map((p) => p.value));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (n: number) => LEFT + (points.length === 1 ? plotWidth / 2 : (n * plotWidth) / (points.length - 1));
  const y = (value: number) => TOP + plotHeight - (value / max) * plotHeight;
  const line = points.map((p, n) => `${x(n).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const first = points[0];
  const last = points.at(-1);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={`${id}-svg-title`} aria-describedby={`${id}-svg-desc`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-svg-title`}>{props.title}</title>
        <desc id={`${id}-svg-desc`}>
          {props.description} {points.map((p) => `${p.label}: ${i.number(p.value)}`).join("; ")}
        </desc>
        <g aria-hidden="true">
          <line x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - RIGHT} y2={TOP + plotHeight} class="chart-axis" />
          <line x1={LEFT} y1={TOP} x2={WIDTH - RIGHT} y2={TOP} class="chart-grid" />
          <text x={LEFT - 6} y={TOP + 4} text-anchor="end" class="chart-value">
            {i.number(max)}
          </text>
          <text x={LEFT - 6} y={TOP + plotHeight + 4} text-anchor="end" class="chart-value">
            {i.number(0)}
          </text>
          {points.length > 1 && <polyline points={line} class="chart-line" />}
          {points.map((p, n) => (
            <circle cx={x(n).toFixed(1)} cy={y(p.value).toFixed(1)} r="3.5" class="chart-point" />
          ))}
          {first && (
            <text x={points.length === 1 ? x(0) : LEFT} y={HEIGHT - 8} text-anchor={points.length === 1 ? "middle" : "start"} class="chart-value">
              {first.label}
            </text>
          )}
          {last && points.length > 1 && (
            <text x={WIDTH - RIGHT} y={HEIGHT - 8} text-anchor="end" class="chart-value">
              {last.label}
            </text>
          )}
        </g>
      </svg>
      <details>
        <summary>{props.tableSummary}</summary>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{props.columns.label}</th>
                <th scope="col" class="numeric">
                  {props.columns.value}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr>
                  <th scope="row">{p.label}</th>
                  <td class="numeric">{i.number(p.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
