import type { I18n } from "../i18n";

export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 400;
const ROW = 38;
const BAR = 14;
const VALUE_ROOM = 64;

/** Labels come from the summary (rule ids, field names): an issue on no field has an empty one. */
function shortLabel(label: string): string {
  if (!label) return "—";
  return label.length > 56 ? `${label.slice(0, 55)}…` : label;
}

/**
 * A horizontal bar chart drawn on the server as SVG: no script, no library, readable at 390 px
 * (the drawing scales with its box). Screen readers get the title and description, and everyone
 * can open the same numbers as a table.
 */
export function BarChart(props: { i: I18n; id: string; title: string; description: string; bars: Bar[] }) {
  const { i, id, bars } = props;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 4;
  return (
    <figure class="chart">
      <figcaption id={`${id}-title`}>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-svg-title`}
        aria-describedby={`${id}-svg-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-svg-title`}>{props.title}</title>
        <desc id={`${id}-svg-desc`}>
          {props.description} {bars.map((b) => `${b.label || "—"}: ${i.number(b.value)}`).join("; ")}
        </desc>
        {bars.map((b, n) => {
          const y = n * ROW;
          const length = Math.max(2, Math.round((b.value / max) * (WIDTH - VALUE_ROOM)));
          return (
            <g aria-hidden="true">
              <text x="0" y={y + 13} class="chart-label">
                {shortLabel(b.label)}
              </text>
              <rect x="0" y={y + 18} width={length} height={BAR} rx="2" class="chart-bar" />
              <text x={length + 6} y={y + 30} class="chart-value">
                {i.number(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{i.t("job.chartTable")}</summary>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{i.t("job.chartName")}</th>
                <th scope="col" class="numeric">
                  {i.t("job.chartCount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {bars.map((b) => (
                <tr>
                  <th scope="row">{b.label || "—"}</th>
                  <td class="numeric">{i.number(b.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
