/**
 * Operator commands, run against the deployment's D1 database through wrangler:
 *
 *   npm run admin -- set-plan <account> <plan> [--remote] [--persist-to <dir>] [--lang pt-BR]
 *
 * `<account>` is an account id (acct_…) or its email; `<plan>` is free, pro, business or enterprise.
 * Without --remote it changes the local database `npm start` uses (or the one under --persist-to).
 * On a deployment with billing off this is how accounts change plan; with billing on, Stripe's
 * events set paid plans and this is for Enterprise and for support.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { PLAN_IDS, type Plan } from "../src/core/plans";
import { type Locale, render, text, type Text } from "../src/core/text";
import { localeFrom } from "./cli/args";

const ROOT = path.join(import.meta.dirname, "..");
const ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,64}$/;
// Addresses as accounts store them (trimmed, lower case); anything else is refused before it reaches SQL.
const EMAIL = /^[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,190}\.[a-z]{2,}$/;

class AdminError extends Error {
  constructor(
    readonly detail: Text,
    readonly code = 1,
  ) {
    super(detail.en);
  }
}

const USAGE = text(
  `Usage: npm run admin -- set-plan <account> <plan> [--remote] [--persist-to <dir>]
  <account>  an account id (acct_…) or the account's email
  <plan>     ${PLAN_IDS.join(", ")}
  --remote   change the deployed database (default: the local one npm start uses)`,
  `Uso: npm run admin -- set-plan <conta> <plano> [--remote] [--persist-to <pasta>]
  <conta>    o id da conta (acct_…) ou o e-mail da conta
  <plano>    ${PLAN_IDS.join(", ")}
  --remote   altera o banco implantado (padrão: o local, que o npm start usa)`,
);

interface D1Result {
  results?: Record<string, unknown>[];
  success?: boolean;
  error?: string;
}

/** Runs one SQL statement with `wrangler d1 execute` and returns its rows. */
function execute(sql: string, where: { remote: boolean; persistTo?: string }): Record<string, unknown>[] {
  const args = ["wrangler", "d1", "execute", "DB", where.remote ? "--remote" : "--local", "--json", "--command", sql];
  if (where.persistTo && !where.remote) args.push("--persist-to", where.persistTo);
  const run = spawnSync("npx", args, { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) {
    const said = (run.stdout + run.stderr).trim().split("\n").slice(-5).join("\n");
    throw new AdminError(text(`wrangler d1 execute failed:\n${said}`, `wrangler d1 execute falhou:\n${said}`));
  }
  const parsed = JSON.parse(run.stdout) as D1Result[];
  return parsed.flatMap((r) => r.results ?? []);
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

function setPlan(account: string, plan: string, where: { remote: boolean; persistTo?: string }): Text {
  if (!(PLAN_IDS as readonly string[]).includes(plan)) {
    throw new AdminError(text(`Unknown plan "${plan}": use ${PLAN_IDS.join(", ")}.`, `Plano desconhecido "${plan}": use ${PLAN_IDS.join(", ")}.`), 2);
  }
  const byEmail = !account.startsWith("acct_");
  const key = byEmail ? account.trim().toLowerCase() : account;
  if (!(byEmail ? EMAIL : ACCOUNT_ID).test(key)) {
    throw new AdminError(text(`"${account}" is neither an account id (acct_…) nor an email address.`, `"${account}" não é um id de conta (acct_…) nem um e-mail.`), 2);
  }
  const column = byEmail ? "email" : "id";
  const rows = execute(`UPDATE accounts SET plan = ${quote(plan)} WHERE ${column} = ${quote(key)} RETURNING id, email, plan`, where);
  const changed = rows[0] as { id: string; email: string; plan: Plan } | undefined;
  const place = where.remote ? text("deployed", "implantado") : text("local", "local");
  if (!changed) {
    throw new AdminError(
      text(`No account ${account} in the ${place.en} database.`, `Nenhuma conta ${account} no banco ${place["pt-BR"]}.`),
    );
  }
  return text(
    `${changed.id} (${changed.email}) is now on the ${changed.plan} plan in the ${place.en} database. Its quota and its jobs' queue follow at once.`,
    `${changed.id} (${changed.email}) agora está no plano ${changed.plan} no banco ${place["pt-BR"]}. A cota e a fila dos jobs mudam na hora.`,
  );
}

function main(argv: string[]): number {
  const locale: Locale = localeFrom(argv, process.env);
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { remote: { type: "boolean", default: false }, "persist-to": { type: "string" }, lang: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      console.log(render(USAGE, locale));
      return command === undefined && !values.help ? 2 : 0;
    }
    if (command !== "set-plan" || rest.length !== 2) throw new AdminError(USAGE, 2);
    console.log(render(setPlan(rest[0], rest[1], { remote: values.remote, persistTo: values["persist-to"] }), locale));
    return 0;
  } catch (error) {
    if (error instanceof AdminError) {
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

process.exitCode = main(process.argv.slice(2));
