// `npm run generate`: refreshes everything derived from the OpenAPI document (after the npm script
// has refreshed the document itself). `--check` only reports stale files and exits 1 if any.
import { staleFiles, writeGeneratedFiles } from "./generate/run";

if (process.argv.includes("--check")) {
  const stale = await staleFiles();
  for (const file of stale) console.error(`stale: ${file.path} (${file.generator}); run npm run generate`);
  process.exit(stale.length ? 1 : 0);
} else {
  const written = await writeGeneratedFiles();
  console.log(written.length ? written.map((file) => `wrote ${file}`).join("\n") : "generated files are up to date");
}
