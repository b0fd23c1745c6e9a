import { OpenAPIRoute, type ValidatedData } from "chanfana";

/**
 * A route whose request body is a file the handler streams onward. While validating a request,
 * chanfana reads (and JSON-parses) any body documented as application/json; here validation
 * covers params, query and headers only, so the body stays unread yet fully documented.
 */
export abstract class StreamedBodyRoute extends OpenAPIRoute {
  #validating = false;

  override getSchemaZod() {
    const schema = super.getSchemaZod();
    if (!this.#validating || !schema.request?.body) return schema;
    const { body: _body, ...request } = schema.request;
    return { ...schema, request };
  }

  override async getValidatedData<S = any>(): Promise<ValidatedData<S>> {
    this.#validating = true;
    try {
      return await super.getValidatedData<S>();
    } finally {
      this.#validating = false;
    }
  }
}
