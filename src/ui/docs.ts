import type { Hono } from "hono";
import type { AppEnv } from "../api/context";

// Being replaced by the self-contained API reference page.
export function mountDocs(app: Hono<AppEnv>) {
  app.get("/docs", (c) => c.html("<!doctype html><title>Vitrine API</title><p>Loading…</p>"));
}
