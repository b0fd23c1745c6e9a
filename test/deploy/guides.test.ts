/**
 * The guides in docs/guides/ as documents: both languages of every topic, a `# ` title first, every
 * command or code block marked runnable or not-runnable, the same runnable code and expected output
 * in English and pt-BR (comments may be translated), links to the references that resolve. Running
 * the blocks needs a server: test/integration/guides.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CODE_LANGUAGES, GUIDE_SLUGS, GUIDES_DIR, type Guide, readGuides, runnableSteps, withoutComments } from "../integration/guide-blocks";

const guides = readGuides();
const HAS_PHP = spawnSync("php", ["--version"]).status === 0;

function guide(slug: string, locale: Guide["locale"]): Guide {
  const found = guides.find((g) => g.slug === slug && g.locale === locale);
  if (!found) throw new Error(`docs/guides/${slug}${locale === "en" ? "" : ".pt-BR"}.md is missing`);
  return found;
}

describe("the guides as documents", () => {
  it("exist for every topic in both languages, and nothing else", () => {
    expect(guides.map((g) => g.file).sort()).toEqual(GUIDE_SLUGS.flatMap((slug) => [`${slug}.md`, `${slug}.pt-BR.md`]).sort());
  });

  it("are all listed in the folder's index, docs/guides/README.md", () => {
    const index = readFileSync(path.join(GUIDES_DIR, "README.md"), "utf8");
    for (const g of guides) expect(index, `README.md links to ${g.file}`).toContain(`](${g.file})`);
  });

  it.each(guides.map((g) => [g.file, g] as const))("%s: title first, every code block says whether it runs", (_file, g) => {
    expect(g.markdown.startsWith("# "), "the first line is the `# ` title (no front matter)").toBe(true);
    for (const block of g.blocks) {
      const where = `${g.file}:${block.line}`;
      expect(block.runnable && block.notRunnable, `${where} is both runnable and not-runnable`).toBe(false);
      if (CODE_LANGUAGES.has(block.language) && !block.file) {
        expect(block.runnable || block.notRunnable, `${where} (${block.language}) must be marked runnable or not-runnable`).toBe(true);
      }
      if (block.language === "php" && block.runnable) expect(HAS_PHP, `${where}: PHP is marked runnable but php is not installed`).toBe(true);
      if (block.file) expect(block.file, `${where}: file= must be a plain file name`).toMatch(/^[\w.-]+$/);
    }
    const outputs = g.blocks.filter((b, i) => b.output && !g.blocks[i - 1]?.runnable);
    expect(outputs.map((b) => b.line), "an output block follows a runnable block").toEqual([]);
  });

  it.each(guides.map((g) => [g.file, g] as const))("%s: links to the references and to /docs, and its relative links resolve", (_file, g) => {
    expect(g.markdown, "links to the API reference page").toMatch(/\]\([^)]*\/docs\)/);
    expect(g.markdown, "links to a reference in docs/").toMatch(/\]\(\.\.\/[\w-]+\.md/);
    const relative = [...g.markdown.matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+?)(#[^)\s]*)?\)/g)].map((m) => m[1]!);
    for (const target of relative) {
      if (target.startsWith("/")) continue; // a page of the running Vitrine, such as /docs
      expect(existsSync(path.join(GUIDES_DIR, target)), `${g.file} links to ${target}, which does not exist`).toBe(true);
    }
  });

  it.each(GUIDE_SLUGS)("%s: both languages run the same code (comments may differ) and expect the same output", (slug) => {
    const comparable = (g: Guide) =>
      runnableSteps(g.blocks).map(({ block, expected }) => ({
        language: block.language,
        file: block.file,
        code: withoutComments(block.language, block.code),
        expected: expected ? withoutComments(expected.language, expected.code) : null,
      }));
    const en = comparable(guide(slug, "en"));
    expect(en.length, `${slug} has runnable blocks`).toBeGreaterThan(0);
    expect(comparable(guide(slug, "pt-BR"))).toEqual(en);
  });
});

