/**
 * Reads the fenced code blocks of the guides in docs/guides/ and says which ones a test runs.
 *
 * A block's info string is its language followed by markers:
 * - `runnable`: runs against a local server (shell, JavaScript, Python, PHP), or, with `file=NAME`,
 *   is written to NAME in the guide's working directory for later blocks to use;
 * - `not-runnable`: needs something a test cannot have (a provider's console, a real deploy);
 * - `output`: what the runnable block just before it prints; every line but `…` must appear in
 *   its output, in that order.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const GUIDES_DIR = path.join(import.meta.dirname, "..", "..", "docs", "guides");

/** Every guide, in the order a reader (and the test) goes through them. */
export const GUIDE_SLUGS = ["getting-started", "spreadsheets", "mercado-livre", "shopee", "google-merchant", "rule-packs", "mappings", "jobs-at-scale", "webhooks"];

/** Languages whose blocks are commands or code: each must say whether it runs. */
export const CODE_LANGUAGES = new Set(["bash", "sh", "shell", "js", "javascript", "mjs", "ts", "typescript", "python", "py", "php"]);

export interface Block {
  language: string;
  runnable: boolean;
  notRunnable: boolean;
  output: boolean;
  file: string | null;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export interface Guide {
  slug: string;
  locale: "en" | "pt-BR";
  file: string;
  markdown: string;
  blocks: Block[];
}

const FENCE = /^(`{3,}|~{3,})(.*)$/;

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const [language = "", ...markers] = open[2]!.trim().split(/\s+/);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.startsWith(fence[0]!.repeat(fence.length)) && line.trim() === line.trim()[0]!.repeat(line.trim().length)) break;
      body.push(line);
    }
    const file = markers.find((m) => m.startsWith("file="));
    blocks.push({
      language: language.toLowerCase(),
      runnable: markers.includes("runnable"),
      notRunnable: markers.includes("not-runnable"),
      output: markers.includes("output"),
      file: file ? file.slice("file=".length) : null,
      code: body.join("\n") + "\n",
      line: i + 1,
    });
    i = j;
  }
  return blocks;
}

export function readGuides(): Guide[] {
  return readdirSync(GUIDES_DIR)
    .filter((name) => name.endsWith(".md") && name !== "README.md") // README.md is the folder's index
    .sort()
    .map((name) => {
      const locale = name.endsWith(".pt-BR.md") ? "pt-BR" : "en";
      const slug = name.replace(/(\.pt-BR)?\.md$/, "");
      const markdown = readFileSync(path.join(GUIDES_DIR, name), "utf8");
      return { slug, locale, file: name, markdown, blocks: parseBlocks(markdown) } satisfies Guide;
    });
}

/** The blocks a test writes or runs, each with the `output` block that follows it, if any. */
export function runnableSteps(blocks: Block[]): { block: Block; expected: Block | null }[] {
  const steps: { block: Block; expected: Block | null }[] = [];
  blocks.forEach((block, i) => {
    if (!block.runnable) return;
    const next = blocks[i + 1];
    steps.push({ block, expected: next?.output ? next : null });
  });
  return steps;
}

const HASH_COMMENTS = new Set(["bash", "sh", "shell", "python", "py", "yaml", "yml", "toml"]);
const SLASH_COMMENTS = new Set(["js", "javascript", "mjs", "ts", "typescript", "php"]);

/**
 * A block's code without its comments and blank lines, so the two languages of a guide can be
 * compared: comments may be translated, code may not. A comment starts a line or follows a space
 * (so `http://…` and `#anchor` inside a URL stay code).
 */
export function withoutComments(language: string, code: string): string {
  const marker = HASH_COMMENTS.has(language) ? "#" : SLASH_COMMENTS.has(language) ? "//" : null;
  return code
    .split("\n")
    .map((line) => {
      if (marker === null) return line.trimEnd();
      if (line.trimStart().startsWith(marker)) return "";
      const at = line.search(marker === "#" ? /\s#(?!!)/ : /\s\/\//);
      return (at === -1 ? line : line.slice(0, at)).trimEnd();
    })
    .filter((line) => line.trim() !== "")
    .join("\n");
}

/** Every expected line (but `…`) appears in the output, in order. Returns the first missing line. */
export function missingOutputLine(expected: string, actual: string): string | null {
  let from = 0;
  for (const raw of expected.split("\n")) {
    const line = raw.trim();
    if (line === "" || line === "…" || line === "...") continue;
    const at = actual.indexOf(line, from);
    if (at === -1) return line;
    from = at + line.length;
  }
  return null;
}
