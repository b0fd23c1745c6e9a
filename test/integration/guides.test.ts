/**
 * The guides in docs/guides/, in English and Brazilian Portuguese, run as a reader would run them:
 * every `runnable` block, in order, in a fresh directory per guide, against a local server (one
 * per language, so each language starts from a clean slate as a new user would), with
 * VITRINE_URL and VITRINE_API_KEY set. Shell variables carry from one shell block to the next as
 * in one terminal session. Each block must exit 0, and print what the `output` block after it says.
 * How the guides are written (markers, both languages, links) is checked by test/deploy/guides.test.ts.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningApp, startApp } from "../running-app";
import { type Block, GUIDE_SLUGS, type Guide, missingOutputLine, readGuides, runnableSteps } from "./guide-blocks";

const ROOT = path.join(import.meta.dirname, "..", "..");
const guides = readGuides();
const BLOCK_TIMEOUT_MS = 120_000;

function guide(slug: string, locale: Guide["locale"]): Guide {
  const found = guides.find((g) => g.slug === slug && g.locale === locale);
  if (!found) throw new Error(`docs/guides/${slug}${locale === "en" ? "" : ".pt-BR"}.md is missing`);
  return found;
}

/** Runs a guide's blocks in order in its own directory; background processes die with the guide. */
class GuideSession {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "vitrine-guide-"));
  private readonly groups: number[] = [];
  private blockIndex = 0;

  constructor(private readonly env: Record<string, string>) {
    copyFileSync(path.join(ROOT, "samples", "catalogo-exemplo.csv"), path.join(this.dir, "catalogo-exemplo.csv"));
  }

  async run(block: Block): Promise<{ code: number | null; stdout: string; stderr: string }> {
    if (block.file) {
      writeFileSync(path.join(this.dir, block.file), block.code);
      return { code: 0, stdout: "", stderr: "" };
    }
    const n = ++this.blockIndex;
    switch (block.language) {
      case "bash":
      case "sh":
      case "shell":
        return this.spawn("bash", [this.write(`block-${n}.sh`, shellScript(block.code))]);
      case "js":
      case "javascript":
      case "mjs":
        return this.spawn(process.execPath, [this.write(`block-${n}.mjs`, block.code)]);
      case "python":
      case "py":
        return this.spawn("python3", [this.write(`block-${n}.py`, block.code)]);
      case "php":
        return this.spawn("php", [this.write(`block-${n}.php`, block.code)]);
      default:
        throw new Error(`line ${block.line}: a runnable ${block.language} block needs file=NAME`);
    }
  }

  close(): void {
    for (const group of this.groups) {
      try {
        process.kill(-group, "SIGTERM");
      } catch {}
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private write(name: string, content: string): string {
    const file = path.join(this.dir, ".guide-test", name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  /** The variables earlier shell blocks set, as a reader's terminal would still have them. */
  private carried(): Record<string, string> {
    const file = path.join(this.dir, ".guide-test", "state.env");
    if (!existsSync(file)) return {};
    const entries = readFileSync(file, "utf8").split("\0").filter(Boolean);
    return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
  }

  private spawn(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // Detached: the block and whatever it leaves running in the background form one process group.
    const child = spawn(command, args, { cwd: this.dir, env: { ...this.env, ...this.carried() }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.groups.push(child.pid!);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {}
        stderr += `\n[killed after ${BLOCK_TIMEOUT_MS} ms]`;
      }, BLOCK_TIMEOUT_MS);
      // "exit", not "close": a server the block starts in the background may keep the pipes open.
      child.once("exit", (code) => {
        clearTimeout(timer);
        setTimeout(() => resolve({ code, stdout, stderr }), 50);
      });
    });
  }
}

/**
 * A shell block as one step of a terminal session: the variables of earlier blocks are loaded
 * first, and its own are saved after it (scalars only; bash's own variables are left out). As in
 * a terminal, only exported variables reach the JavaScript and Python blocks.
 */
function shellScript(code: string): string {
  return `__state=.guide-test/state
[ -f "$__state.sh" ] && . "$__state.sh"
set -euo pipefail
${code}
set +eu
__builtin=" $(env -i bash -c 'compgen -v' | tr '\\n' ' ') "
: > "$__state.sh"; : > "$__state.env"
for __v in $(compgen -v); do
  case "$__v" in __*) continue ;; esac
  case "$__builtin" in *" $__v "*) continue ;; esac
  [[ "$(declare -p "$__v" 2>/dev/null)" =~ ^declare\\ -([a-zA-Z-]*) ]] || continue
  __flags="\${BASH_REMATCH[1]}"
  [[ "$__flags" =~ [aAnr] ]] && continue
  if [[ "$__flags" == *x* ]]; then
    printf 'export %s=%q\\n' "$__v" "\${!__v}" >> "$__state.sh"
    printf '%s=%s\\0' "$__v" "\${!__v}" >> "$__state.env"
  else
    printf '%s=%q\\n' "$__v" "\${!__v}" >> "$__state.sh"
  fi
done
`;
}

async function signUp(origin: string, slug: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `guia-${slug}-${crypto.randomUUID().slice(0, 8)}@example.com`, name: `Guia ${slug}` }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { api_key: { key: string } }).api_key.key;
}

for (const locale of ["en", "pt-BR"] as const) {
  describe(`the guides' runnable blocks (${locale})`, () => {
    let app: Pick<RunningApp, "origin" | "stop">;
    beforeAll(async () => {
      // While writing a guide, GUIDES_TEST_ORIGIN reuses a server you started (`npm start`) instead.
      const reused = process.env.GUIDES_TEST_ORIGIN;
      app = reused ? { origin: reused, stop: async () => {} } : await startApp({ vars: { SIGNUP_LIMIT_PER_HOUR: "1000" } });
    });
    afterAll(() => app?.stop());

    it.each(GUIDE_SLUGS)(`%s`, async (slug) => {
      const g = guide(slug, locale);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? os.tmpdir(),
        LANG: "C.UTF-8",
        VITRINE_URL: app.origin,
        VITRINE_API_KEY: await signUp(app.origin, slug),
        PORT: String(await freePort()),
      };
      const session = new GuideSession(env);
      try {
        for (const { block, expected } of runnableSteps(g.blocks)) {
          const result = await session.run(block);
          const shown = `${g.file}:${block.line} (${block.language})\n--- code\n${block.code}--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
          expect(result.code, shown).toBe(0);
          if (expected) expect(missingOutputLine(expected.code, result.stdout), `expected output missing from ${shown}`).toBeNull();
        }
      } finally {
        session.close();
      }
    });
  });
}
