import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ROOT, readOpenApiDocument } from "./document";
import { GENERATORS } from "./generators";
import type { GeneratedFile } from "./types";

export interface StaleFile {
  generator: string;
  path: string;
}

async function generateAll(): Promise<Array<GeneratedFile & { generator: string }>> {
  const document = await readOpenApiDocument();
  const files: Array<GeneratedFile & { generator: string }> = [];
  for (const generator of GENERATORS) {
    for (const file of await generator.run(document)) files.push({ ...file, generator: generator.name });
  }
  return files;
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(path.join(ROOT, file), "utf8");
  } catch {
    return null;
  }
}

/** Files whose committed content differs from what the generators produce now. */
export async function staleFiles(): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of await generateAll()) {
    if ((await readOrNull(file.path)) !== file.content) stale.push({ generator: file.generator, path: file.path });
  }
  return stale;
}

export async function writeGeneratedFiles(): Promise<string[]> {
  const written: string[] = [];
  for (const file of await generateAll()) {
    if ((await readOrNull(file.path)) === file.content) continue;
    await mkdir(path.dirname(path.join(ROOT, file.path)), { recursive: true });
    await writeFile(path.join(ROOT, file.path), file.content);
    written.push(file.path);
  }
  return written;
}
