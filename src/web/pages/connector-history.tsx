import type { SyncDelta } from "../../core/connectors/delta";
import type { SyncView } from "../../services/connectors/delta";
import { LineChart } from "../components/line-chart";
import type { I18n } from "../i18n";

/** Syncs read for a connector's page: the trend covers the last ones, newest first from the service. */
export const SYNCS_SHOWN = 20;

/** Issues open after a sync: the new ones and those still open since the one before. */
export const openIssues = (delta: SyncDelta) => delta.issues.new + delta.issues.still_open;

type Compared = SyncView & { delta: SyncDelta };
const compared = (sync: SyncView): sync is Compared => sync.delta !== null;

function DeltaFacts(props: { i: I18n; delta: SyncDelta }) {
  const { i, delta } = props;
  const rows: [string, number][] = [
    [i.t("connectors.delta.issuesNew"), delta.issues.new],
    [i.t("connectors.delta.issuesResolved"), delta.issues.resolved],
    [i.t("connectors.delta.issuesStillOpen"), delta.issues.still_open],
    [i.t("connectors.delta.recordsAdded"), delta.records.added],
    [i.t("connectors.delta.recordsRemoved"), delta.records.removed],
  ];
  return (
    <dl class="facts delta-facts">
      {rows.map(([label, value]) => (
        <>
          <dt>{label}</dt>
          <dd>{i.number(value)}</dd>
        </>
      ))}
    </dl>
  );
}

/**
 * What changed in the connector's last compared sync, and the open issues after each of its last
 * syncs as a line. Syncs without a comparison (failed, running, limited to notified items) are
 * left out of both.
 */
export function SyncHistory(props: { i: I18n; syncs: SyncView[] }) {
  const { i } = props;
  const withDelta = props.syncs.filter(compared);
  const last = withDelta[0];
  const trend = [...withDelta].reverse();
  return (
    <section class="panel" aria-labelledby="changes-heading">
      <h2 id="changes-heading">{i.t("connectors.delta.title")}</h2>
      {!last ? (
        <p>{i.t("connectors.delta.none")}</p>
      ) : (
        <>
          <p>
            {i.t("connectors.delta.of", { date: i.dateTime(Date.parse(last.started_at)) })}{" "}
            {last.delta.previous_job_id === null ? i.t("connectors.delta.first") : i.t("connectors.delta.compared")}{" "}
            <a href={`/app/jobs/${last.job_id}`}>{i.t("connectors.openJob")}</a>
          </p>
          <DeltaFacts i={i} delta={last.delta} />
          {trend.length < 2 ? (
            <p class="hint">{i.t("connectors.trend.tooFew")}</p>
          ) : (
            <LineChart
              i={i}
              id="open-issues-trend"
              title={i.t("connectors.trend.title")}
              description={i.t("connectors.trend.description", { count: i.number(trend.length) })}
              points={trend.map((s) => ({ label: i.dateTime(Date.parse(s.started_at)), value: openIssues(s.delta) }))}
              columns={{ label: i.t("connectors.trend.sync"), value: i.t("connectors.trend.open") }}
              tableSummary={i.t("connectors.trend.table")}
            />
          )}
        </>
      )}
    </section>
  );
}
