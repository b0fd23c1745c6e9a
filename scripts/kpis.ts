/**
 * The operator's KPIs (docs/operations.md): job success rate, p95 latency per route, webhook
 * first-attempt and eventual delivery rates, over the last 24 hours and 7 days.
 *
 *   npm run kpis                      the local D1 rollups `npm start` writes (or --persist-to <dir>)
 *   npm run kpis -- --remote          the deployment's Workers Analytics Engine dataset, through the
 *                                     SQL API: CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (a token
 *                                     with Account | Account Analytics | Read) in the environment
 *   --json                            the windows as JSON instead of tables
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatP95, formatRate, KPI_WINDOWS_HOURS, type KpiRow, type KpiWindow, summarizeWindow } from "../src/core/kpis/report";
import { HOUR_MS, hourOf } from "../src/core/kpis/rollup";
import { type Locale, render, text, type Text } from "../src/core/text";
import { localeFrom } from "./cli/args";

const ROOT = path.join(import.meta.dirname, "..");
/** The dataset wrangler.toml binds as KPI_EVENTS. */
const DATASET = "vitrine_kpis";

class KpisError extends Error {
  constructor(
    readonly detail: Text,
    readonly code = 1,
  ) {
    super(detail.en);
  }
}

const USAGE = text(
  `Usage: npm run kpis -- [--remote] [--persist-to <dir>] [--json]
  --remote   read the deployment's Analytics Engine dataset (needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN)
  --json     print the windows as JSON`,
  `Uso: npm run kpis -- [--remote] [--persist-to <pasta>] [--json]
  --remote   lê o conjunto de dados do Analytics Engine da implantação (requer CLOUDFLARE_ACCOUNT_ID e CLOUDFLARE_API_TOKEN)
  --json     imprime os períodos em JSON`,
);

/** The local rollups, read with `wrangler d1 execute --local`. */
function localWindows(persistTo: string | undefined, now: number): KpiWindow[] {
  const since = hourOf(now) - (Math.max(...KPI_WINDOWS_HOURS) - 1) * HOUR_MS;
  const args = ["wrangler", "d1", "execute", "DB", "--local", "--json", "--command", `SELECT hour, metric, dimension, bucket, count FROM kpi_rollups WHERE hour >= ${since}`];
  if (persistTo) args.push("--persist-to", persistTo);
  const run = spawnSync("npx", args, { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) {
    const said = (run.stdout + run.stderr).trim().split("\n").slice(-5).join("\n");
    throw new KpisError(text(`wrangler d1 execute failed (migrations applied?):\n${said}`, `wrangler d1 execute falhou (migrações aplicadas?):\n${said}`));
  }
  const rows = (JSON.parse(run.stdout) as { results?: KpiRow[] }[]).flatMap((r) => r.results ?? []);
  return KPI_WINDOWS_HOURS.map((hours) => summarizeWindow(rows, now, hours));
}

/** One query to the Analytics Engine SQL API (POST the SQL as the body; rows come back in `data`). */
async function analyticsQuery(accountId: string, token: string, sql: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`https://api.cloudflare.com/client/v4/accounts/${accountId}/analytics_engine/sql`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: sql,
  });
  if (!res.ok) throw new KpisError(text(`Analytics Engine SQL API answered ${res.status}: ${await res.text()}`, `A API SQL do Analytics Engine respondeu ${res.status}: ${await res.text()}`));
  return ((await res.json()) as { data: Record<string, unknown>[] }).data;
}

/**
 * The same windows from the deployment's data points. Counts are weighted by _sample_interval
 * (Analytics Engine samples at high volume); the p95 is quantileExactWeighted over the sampled
 * durations, so it is a measured value rather than a histogram bound.
 */
async function remoteWindows(accountId: string, token: string): Promise<KpiWindow[]> {
  const windows: KpiWindow[] = [];
  for (const hours of KPI_WINDOWS_HOURS) {
    const since = `timestamp > NOW() - INTERVAL '${hours / 24}' DAY`;
    const counts = await analyticsQuery(
      accountId,
      token,
      `SELECT blob1 AS metric, blob2 AS dimension, SUM(_sample_interval) AS count FROM ${DATASET} WHERE ${since} AND blob1 != 'request' GROUP BY metric, dimension FORMAT JSON`,
    );
    const routes = await analyticsQuery(
      accountId,
      token,
      `SELECT blob2 AS route, SUM(_sample_interval) AS requests, quantileExactWeighted(0.95, double1, _sample_interval) AS p95 FROM ${DATASET} WHERE ${since} AND blob1 = 'request' GROUP BY route ORDER BY requests DESC FORMAT JSON`,
    );
    // Counts become one-hour rows so the local summary applies; routes keep their measured p95.
    const rows: KpiRow[] = counts.map((r) => ({ hour: hourOf(Date.now()), metric: String(r.metric), dimension: String(r.dimension), bucket: 0, count: Number(r.count) }));
    const window = summarizeWindow(rows, Date.now(), hours);
    window.routes = routes.map((r) => ({
      route: String(r.route),
      requests: Math.round(Number(r.requests)),
      errors: Math.round(Number(counts.find((c) => c.metric === "request_5xx" && c.dimension === r.route)?.count ?? 0)),
      p95Ms: Number(r.p95),
    }));
    windows.push(window);
  }
  return windows;
}

function table(windows: KpiWindow[], locale: Locale, remote: boolean): string {
  const out: string[] = [];
  for (const w of windows) {
    const title = w.hours === 24 ? text("Last 24 hours", "Últimas 24 horas") : text("Last 7 days", "Últimos 7 dias");
    out.push(`== ${render(title, locale)} ==`);
    out.push(
      `${render(text("Job success rate", "Taxa de sucesso dos jobs"), locale)}: ${formatRate(w.jobs.successRate)} (${w.jobs.completed} / ${w.jobs.completed + w.jobs.failed}; ${render(text("cancelled", "cancelados"), locale)} ${w.jobs.cancelled})`,
    );
    out.push(`${render(text("Webhooks at first attempt", "Webhooks na primeira tentativa"), locale)}: ${formatRate(w.webhooks.firstAttemptRate)} (${w.webhooks.firstAttemptSucceeded} / ${w.webhooks.firstAttempts})`);
    out.push(`${render(text("Webhooks eventually delivered", "Webhooks entregues ao final"), locale)}: ${formatRate(w.webhooks.eventualRate)} (${w.webhooks.delivered} / ${w.webhooks.outcomes})`);
    for (const r of w.routes) {
      const p95 = remote ? `${Math.round(r.p95Ms)} ms` : formatP95(r.p95Ms);
      out.push(`  ${r.route.padEnd(48)} ${String(r.requests).padStart(8)}  5xx ${String(r.errors).padStart(5)}  p95 ${p95}`);
    }
    out.push("");
  }
  return out.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const locale: Locale = localeFrom(argv, process.env);
  try {
    const { values } = parseArgs({
      args: argv,
      options: { remote: { type: "boolean", default: false }, "persist-to": { type: "string" }, json: { type: "boolean", default: false }, lang: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      console.log(render(USAGE, locale));
      return 0;
    }
    let windows: KpiWindow[];
    if (values.remote) {
      const accountId = process.env.CLOUDFLARE_ACCOUNT_ID;
      const token = process.env.CLOUDFLARE_API_TOKEN;
      if (!accountId || !token) {
        throw new KpisError(
          text(
            "--remote needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (Account | Account Analytics | Read) in the environment.",
            "--remote requer CLOUDFLARE_ACCOUNT_ID e CLOUDFLARE_API_TOKEN (Account | Account Analytics | Read) no ambiente.",
          ),
          2,
        );
      }
      windows = await remoteWindows(accountId, token);
    } else {
      windows = localWindows(values["persist-to"], Date.now());
    }
    console.log(values.json ? JSON.stringify(windows, (_k, v) => (v === Infinity ? "Infinity" : v), 2) : table(windows, locale, values.remote));
    return 0;
  } catch (error) {
    if (error instanceof KpisError) {
      console.error(render(error.detail, locale));
      return error.code;
    }
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      console.error(render(USAGE, locale));
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
