import { type fromHono, OpenAPIRoute } from "chanfana";
import type { Hono, MiddlewareHandler } from "hono";
import { z } from "zod";
import { VitrineError } from "../core/errors";
import { text } from "../core/text";
import type { AppContext, AppEnv } from "./context";
import { withExamples } from "./examples";
import { requireApiKey, requireApiKeyThenBody } from "./middleware/auth";
import { type BodyKind, bodyReader } from "./middleware/body";
import { idempotent } from "./middleware/idempotency";
import { requestFieldProblem } from "./validation-messages";

export type Api = ReturnType<typeof fromHono<Hono<AppEnv>>>;

const INVALID_INPUT = text("The request has invalid fields; see errors.", "A requisição tem campos inválidos; veja errors.");

/**
 * Every operation's base class. The body is read once by the route's body middleware (capped,
 * type-checked, parsed); validation reads it from there rather than parsing the request again,
 * and a failed validation becomes one `invalid_request` error with bilingual field problems.
 */
export abstract class ApiRoute extends OpenAPIRoute {
  /** "stream" routes hand the raw body to a service; their body is documented but not validated. */
  protected readonly bodyKind: "json" | "stream" = "json";
  #withoutBody = false;

  /**
   * The document gets the operation's examples (src/api/examples.ts). Only while the document is
   * built — before any request has run this instance — so request handling reads the bare schema.
   */
  override getSchema() {
    const building = this.args.length === 0;
    return building ? withExamples(this.schema, (this.params as { route?: string }).route ?? "") : this.schema;
  }

  protected context(): AppContext {
    return this.args[0] as AppContext;
  }

  override getSchemaZod() {
    const schema = super.getSchemaZod();
    if (!this.#withoutBody || !schema.request?.body) return schema;
    const { body: _body, ...request } = schema.request;
    return { ...schema, request };
  }

  override async getUnvalidatedData(): Promise<any> {
    if (this.unvalidatedData !== undefined) return this.unvalidatedData;
    this.#withoutBody = true;
    let data: any;
    try {
      data = await super.getUnvalidatedData();
    } finally {
      this.#withoutBody = false;
    }
    if (this.jsonBodySchema()) data.body = this.context().get("body") ?? {};
    return data;
  }

  private jsonBodySchema(): z.ZodType | undefined {
    if (this.bodyKind === "stream") return undefined;
    const method = this.context().req.method;
    if (method === "GET" || method === "HEAD") return undefined;
    return super.getSchemaZod().request?.body?.content?.["application/json"]?.schema as z.ZodType | undefined;
  }

  override async validateRequest(_request: Request): Promise<any> {
    const request = { ...super.getSchemaZod().request };
    const shape: Record<string, z.ZodType> = {};
    if (request.params) shape.params = request.params as z.ZodType;
    if (request.query) shape.query = request.query as z.ZodType;
    if (request.headers) shape.headers = request.headers as z.ZodType;
    const body = this.jsonBodySchema();
    if (body) shape.body = body;
    const parsed = await z.strictObject(shape).safeParseAsync(await this.getUnvalidatedData());
    if (parsed.success) return parsed.data;
    throw new VitrineError("invalid_request", INVALID_INPUT, { errors: parsed.error.issues.map(requestFieldProblem) });
  }
}

/** A route whose body is a file streamed onward by its service. */
export abstract class StreamedBodyRoute extends ApiRoute {
  protected override readonly bodyKind = "stream" as const;
}

type Method = "get" | "post" | "put" | "patch" | "delete";
type RouteClass = typeof OpenAPIRoute & (new (...args: any[]) => ApiRoute);

export interface RoutePolicy {
  /** Reachable without an API key. */
  public?: boolean;
  /** Honours Idempotency-Key (POSTs that create something). */
  idempotent?: boolean;
  /** How the body is read; POST/PUT/PATCH default to "json". */
  body?: BodyKind;
  /** Extra middleware, run after authentication and before the body is read. */
  before?: MiddlewareHandler<AppEnv>[];
}

/**
 * Mounts one operation with the middleware its policy asks for: API key (unless public), the
 * route's own checks, body reading (capped and type-checked), then Idempotency-Key.
 */
export function mount(api: Api, method: Method, path: string, route: RouteClass, policy: RoutePolicy = {}) {
  const chain: MiddlewareHandler<AppEnv>[] = [];
  const hasBody = method === "post" || method === "put" || method === "patch";
  const kind = policy.body ?? "json";
  if (!policy.public && hasBody && !policy.before?.length) {
    chain.push(requireApiKeyThenBody(kind));
  } else {
    if (!policy.public) chain.push(requireApiKey);
    chain.push(...(policy.before ?? []));
    if (hasBody) chain.push(bodyReader(kind));
  }
  if (policy.idempotent) chain.push(idempotent);
  (api[method] as (path: string, ...handlers: unknown[]) => unknown)(path, ...chain, route);
}
