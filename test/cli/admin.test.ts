import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.join(import.meta.dirname, "../..");
const state = mkdtempSync(path.join(os.tmpdir(), "vitrine-admin-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));

function wrangler(...args: string[]) {
  const r = spawnSync("npx", ["wrangler", ...args, "--local", "--persist-to", state], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const planOf = (id: string) => JSON.parse(wrangler("d1", "execute", "DB", "--json", "--command", `SELECT plan FROM accounts WHERE id = '${id}'`))[0].results[0]?.plan;

/** Runs `npm run admin -- …` as an operator would, against the test's own local database. */
function admin(...args: string[]) {
  const r = spawnSync("npm", ["run", "--silent", "admin", "--", ...args, "--persist-to", state], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, LANG: "C", LC_ALL: "", LC_MESSAGES: "", NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  wrangler("d1", "migrations", "apply", "DB");
  wrangler(
    "d1",
    "execute",
    "DB",
    "--command",
    "INSERT INTO accounts (id, name, email, plan, created_at) VALUES ('acct_loja1', 'Loja 1', 'loja1@example.com', 'free', 0), ('acct_loja2', 'Loja 2', 'loja2@example.com', 'free', 0)",
  );
}, 60_000);

describe("npm run admin -- set-plan", () => {
  it("sets any plan, Enterprise included, by account id or email, and touches no other account", () => {
    const byId = admin("set-plan", "acct_loja1", "enterprise");
    expect(byId.stderr).toBe("");
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain("acct_loja1 (loja1@example.com) is now on the enterprise plan in the local database");
    expect(planOf("acct_loja1")).toBe("enterprise");
    expect(planOf("acct_loja2")).toBe("free");

    const byEmail = admin("set-plan", "Loja2@Example.com", "pro", "--lang", "pt-BR");
    expect(byEmail.code).toBe(0);
    expect(byEmail.stdout).toContain("acct_loja2 (loja2@example.com) agora está no plano pro");
    expect(planOf("acct_loja2")).toBe("pro");
  });

  it("refuses an unknown plan, an unknown account and anything that is not an id or an email, changing nothing", () => {
    const plan = admin("set-plan", "acct_loja1", "gold");
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('Unknown plan "gold": use free, pro, business, enterprise.');
    const account = admin("set-plan", "acct_nobody", "pro");
    expect(account.code).toBe(1);
    expect(account.stderr).toContain("No account acct_nobody in the local database.");
    const injection = admin("set-plan", "x' OR '1'='1", "free");
    expect(injection.code).toBe(2);
    expect(planOf("acct_loja1")).toBe("enterprise");
    expect(admin("set-plan", "acct_loja1").code).toBe(2);
  });
});
