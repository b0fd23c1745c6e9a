import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      // The Worker logs one JSON line per request; keep test output readable.
      onConsoleLog: (log: string) => !log.includes('"msg":"request"'),
      projects: [
        {
          // Pure modules (src/core, rule packs) run in workerd without the Worker's bindings,
          // so they prove the core stays runtime-neutral and boot fast.
          plugins: [
            cloudflareTest({
              miniflare: { compatibilityDate: "2026-11-01", compatibilityFlags: ["nodejs_compat"] },
            }),
          ],
          test: { name: "core", include: ["test/core/**/*.test.ts", "test/rules/**/*.test.ts"] },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // The setup file applies these to each test file's isolated D1.
                bindings: { TEST_MIGRATIONS: migrations },
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["test/**/*.test.ts"],
            exclude: ["test/core/**", "test/rules/**"],
            setupFiles: ["./test/setup.ts"],
          },
        },
      ],
    },
  };
});
