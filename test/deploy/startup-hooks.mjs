// Loads a wrangler bundle in Node as workerd would link it: rule packs as Text modules (a string),
// the sample catalog as a Data module (an ArrayBuffer), and `cloudflare:workers` as a bare stand-in
// (only its classes are extended at the top level; nothing of it is called there).
import { readFileSync } from "node:fs";

const STUB = "vitrine-startup-probe:cloudflare-workers";

export async function resolve(specifier, context, next) {
  if (specifier === "cloudflare:workers") return { url: STUB, shortCircuit: true };
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url === STUB) {
    return {
      format: "module",
      shortCircuit: true,
      source: "export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\nexport class WorkerEntrypoint {}\nexport const env = {};",
    };
  }
  if (url.endsWith(".yaml")) {
    return { format: "module", shortCircuit: true, source: `export default ${JSON.stringify(readFileSync(new URL(url), "utf8"))};` };
  }
  if (url.endsWith(".csv")) {
    const bytes = readFileSync(new URL(url)).toString("base64");
    return { format: "module", shortCircuit: true, source: `export default Uint8Array.from(atob(${JSON.stringify(bytes)}), (c) => c.charCodeAt(0)).buffer;` };
  }
  return next(url, context);
}
