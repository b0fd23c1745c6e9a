import { OPENAPI_DOCUMENT } from "./document";
import type { GeneratedFile, Generator, OpenApiDocument } from "./types";

/**
 * The Python SDK's typed models (sdks/python/vitrine/models.py) and its table of operations
 * (sdks/python/vitrine/operations.py), derived from the OpenAPI document. Models are TypedDicts, so
 * a response is the parsed JSON itself and fields the API adds later pass through untouched. The
 * output must import on Python 3.9: `Optional`/`Union` rather than `X | Y`, and required and
 * optional keys split across two classes rather than `NotRequired` (3.11).
 */

type Schema = Record<string, any>;

interface Field {
  key: string;
  type: string;
  required: boolean;
  description?: string;
}

interface TypedDictModel {
  name: string;
  /** A component whose fields this one repeats (WebhookEndpointWithSecret: WebhookEndpoint). */
  base?: string;
  description?: string;
  fields: Field[];
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

// keyword.kwlist of Python 3.11: such keys cannot be written with the class syntax.
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

const isIdentifier = (key: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !PYTHON_KEYWORDS.has(key);

const pascal = (words: string) =>
  words
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("");

const pyString = (value: string) => JSON.stringify(value);

const pyLiteral = (value: unknown) => (typeof value === "boolean" ? (value ? "True" : "False") : JSON.stringify(value));

const PRIMITIVES: Record<string, string> = { string: "str", integer: "int", number: "float", boolean: "bool", null: "None" };

function optional(types: string[]): string {
  const unique = [...new Set(types)];
  const rest = unique.filter((type) => type !== "None");
  const union = rest.length === 0 ? "None" : rest.length === 1 ? rest[0] : `Union[${rest.join(", ")}]`;
  return unique.includes("None") && rest.length > 0 ? `Optional[${union}]` : union;
}

/** Walks schemas into TypedDicts, naming each inline object after where it was found. */
class ModelCollector {
  readonly models: TypedDictModel[] = [];
  readonly aliases: Array<{ name: string; type: string; description?: string }> = [];
  private readonly taken = new Set<string>();

  reserve(name: string): void {
    this.taken.add(name);
  }

  private claim(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }

  /** A named schema (a component, an operation's body): a TypedDict when it is an object with properties. */
  define(name: string, schema: Schema, base?: { name: string; schema: Schema }): void {
    if (this.hasProperties(schema) && !schema.anyOf && !schema.oneOf) this.addModel(name, schema, base);
    else this.aliases.push({ name, type: this.typeOf(schema, name), description: schema.description });
  }

  typeOf(schema: Schema | undefined, hint: string): string {
    if (!schema || typeof schema !== "object") return "Any";
    if (schema.$ref) return String(schema.$ref).split("/").pop()!;
    const variants = schema.anyOf ?? schema.oneOf;
    if (variants) return optional(variants.map((variant: Schema, i: number) => this.typeOf(variant, `${hint}Option${i + 1}`)));
    if (schema.const !== undefined) return `Literal[${pyLiteral(schema.const)}]`;
    const kinds: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (schema.enum) {
      const values = schema.enum.filter((value: unknown) => value !== null).map(pyLiteral);
      const nullable = kinds.includes("null") || schema.enum.includes(null);
      return optional([`Literal[${values.join(", ")}]`, ...(nullable ? ["None"] : [])]);
    }
    if (kinds.length === 0) return this.hasProperties(schema) ? this.objectType(schema, hint) : "Any";
    return optional(
      kinds.map((kind) => {
        if (kind === "array") return `List[${this.typeOf(schema.items, `${hint}Item`)}]`;
        if (kind === "object") return this.objectType(schema, hint);
        return PRIMITIVES[kind] ?? "Any";
      }),
    );
  }

  private hasProperties(schema: Schema): boolean {
    return !!schema.properties && Object.keys(schema.properties).length > 0;
  }

  private objectType(schema: Schema, hint: string): string {
    if (this.hasProperties(schema)) return this.addModel(this.claim(hint), schema);
    const extra = schema.additionalProperties;
    return `Dict[str, ${extra && typeof extra === "object" ? this.typeOf(extra, `${hint}Value`) : "Any"}]`;
  }

  private addModel(name: string, schema: Schema, base?: { name: string; schema: Schema }): string {
    this.taken.add(name);
    const model: TypedDictModel = { name, base: base?.name, description: schema.description, fields: [] };
    const inherited = new Set(Object.keys(base?.schema.properties ?? {}));
    // Registered before its fields, so a parent precedes the objects nested in it.
    this.models.push(model);
    const required = new Set<string>(schema.required ?? []);
    for (const [key, property] of Object.entries<Schema>(schema.properties)) {
      if (inherited.has(key)) continue;
      model.fields.push({
        key,
        required: required.has(key),
        type: this.typeOf(property, `${name}${pascal(key)}`),
        description: property?.description,
      });
    }
    return name;
  }
}

function comment(text: string | undefined, indent: string): string[] {
  if (!text) return [];
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > 96) {
        lines.push(`${indent}# ${line}`);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(`${indent}# ${line}`);
  }
  return lines;
}

function docstring(text: string | undefined): string[] {
  if (!text) return [];
  // A quote right before the closing """ would end the string early.
  let escaped = text.replaceAll("\\", "\\\\").replaceAll('"""', '\\"""');
  if (escaped.endsWith('"')) escaped = `${escaped.slice(0, -1)}\\"`;
  return [`    """${escaped}"""`, ""];
}

function classBody(fields: Field[]): string[] {
  return fields.flatMap((field) => [...comment(field.description, "    "), `    ${field.key}: ${field.type}`]);
}

/** Keys that are not identifiers (`pt-BR`, `from`) need the functional syntax, whose types are strings. */
function functional(name: string, fields: Field[], total: boolean): string[] {
  const entries = fields.flatMap((field) => [...comment(field.description, "        "), `        ${pyString(field.key)}: ${pyString(field.type)},`]);
  return [`${name} = TypedDict(`, `    ${pyString(name)},`, "    {", ...entries, "    },", ...(total ? [] : ["    total=False,"]), ")"];
}

function renderModel(model: TypedDictModel): string[] {
  const required = model.fields.filter((field) => field.required);
  const optionalFields = model.fields.filter((field) => !field.required);
  const lines: string[] = [];
  const root = model.base ?? "TypedDict";
  if (model.fields.every((field) => isIdentifier(field.key))) {
    if (required.length > 0 && optionalFields.length > 0) {
      lines.push(`class _${model.name}Required(${root}):`, ...classBody(required), "", "");
      lines.push(`class ${model.name}(_${model.name}Required, total=False):`, ...docstring(model.description), ...classBody(optionalFields));
    } else {
      const total = required.length === 0 && (optionalFields.length > 0 || !model.base) ? ", total=False" : "";
      lines.push(`class ${model.name}(${root}${total}):`, ...docstring(model.description));
      lines.push(...classBody(model.fields));
    }
    if (model.fields.length === 0) lines.push("    pass");
    return lines;
  }
  const bases: string[] = model.base ? [model.base] : [];
  if (required.length > 0) {
    lines.push(...functional(`_${model.name}Required`, required, true), "");
    bases.push(`_${model.name}Required`);
  }
  if (optionalFields.length > 0) {
    lines.push(...functional(`_${model.name}Optional`, optionalFields, false), "");
    bases.push(`_${model.name}Optional`);
  }
  lines.push("", `class ${model.name}(${bases.join(", ")}):`);
  lines.push(...(model.description ? docstring(model.description).slice(0, 1) : ["    pass"]));
  return lines;
}

interface OperationEntry {
  id: string;
  method: string;
  path: string;
  summary: string;
  operation: Schema;
}

function operationsOf(document: OpenApiDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation?.operationId) continue;
      entries.push({ id: operation.operationId, method: method.toUpperCase(), path, summary: operation.summary ?? "", operation });
    }
  }
  return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The JSON body's schema; raw bytes (files, parts) and $refs to components need no model of their own. */
function inlineJsonSchemaOf(content: Schema | undefined): Schema | undefined {
  const schema = content?.["application/json"]?.schema;
  return schema && !schema.$ref && schema.type !== "string" ? schema : undefined;
}

const sameSchema = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The largest other component whose properties this one repeats exactly, with the same required
 * ones (CreatedApiKey repeats ApiKey and adds the key): the model then extends it, as the API means.
 */
function baseOf(name: string, schemas: Record<string, Schema>): string | undefined {
  const own = schemas[name].properties ?? {};
  const required = new Set<string>(schemas[name].required ?? []);
  let best: string | undefined;
  for (const candidate of Object.keys(schemas).sort()) {
    const theirs: Record<string, Schema> = schemas[candidate].properties ?? {};
    const keys = Object.keys(theirs);
    if (candidate === name || keys.length === 0 || keys.length >= Object.keys(own).length) continue;
    if (!keys.every((key) => key in own && sameSchema(own[key], theirs[key]))) continue;
    const theirRequired = new Set<string>(schemas[candidate].required ?? []);
    if (!keys.every((key) => required.has(key) === theirRequired.has(key))) continue;
    if (!best || keys.length > Object.keys(schemas[best].properties).length) best = candidate;
  }
  return best;
}

const HEADER = (document: OpenApiDocument) => [
  `# Generated by scripts/generate/sdk-python.ts from ${OPENAPI_DOCUMENT}`,
  `# (${String(document.info.title)} ${String(document.info.version)}). Do not edit: run \`npm run generate\`.`,
];

export function pythonModels(document: OpenApiDocument): string {
  const collector = new ModelCollector();
  const schemas = document.components?.schemas ?? {};
  const componentNames = Object.keys(schemas).sort();
  const operations = operationsOf(document);
  for (const name of componentNames) collector.reserve(name);
  const defined = new Set<string>();
  const defineComponent = (name: string) => {
    if (defined.has(name)) return;
    defined.add(name);
    const base = baseOf(name, schemas);
    // A class must follow its base in the module.
    if (base) defineComponent(base);
    collector.define(name, schemas[name], base ? { name: base, schema: schemas[base] } : undefined);
  };
  for (const name of componentNames) defineComponent(name);
  // Parameters may be shared through components/parameters.
  const resolveParameter = (parameter: Schema): Schema =>
    parameter.$ref ? (document.components?.parameters?.[String(parameter.$ref).split("/").pop()!] ?? {}) : parameter;
  for (const { id, operation } of operations) {
    const base = pascal(id);
    const query = (operation.parameters ?? []).map(resolveParameter).filter((parameter: Schema) => parameter.in === "query");
    if (query.length > 0) {
      const schema = {
        type: "object",
        description: `Query parameters of ${id}.`,
        properties: Object.fromEntries(query.map((parameter: Schema) => [parameter.name, { ...parameter.schema, description: parameter.description }])),
        required: query.filter((parameter: Schema) => parameter.required).map((parameter: Schema) => parameter.name),
      };
      collector.define(`${base}Query`, schema);
    }
    const body = inlineJsonSchemaOf(operation.requestBody?.content);
    if (body) collector.define(`${base}Request`, { description: `Body of ${id}.`, ...body });
    const success = Object.keys(operation.responses ?? {})
      .filter((status) => /^2\d\d$/.test(status))
      .sort()
      .map((status) => inlineJsonSchemaOf(operation.responses[status].content))
      .find(Boolean);
    if (success) collector.define(`${base}Response`, { description: `Answer of ${id}.`, ...success });
  }

  const lines = [
    ...HEADER(document),
    '"""Typed shapes of the Vitrine API\'s JSON: TypedDicts, so responses stay plain dicts."""',
    "",
    "from __future__ import annotations",
    "",
    "from typing import Any, Dict, List, Literal, Optional, TypedDict, Union",
    "",
  ];
  for (const model of collector.models) lines.push("", ...renderModel(model), "");
  for (const alias of collector.aliases) lines.push("", ...comment(alias.description, ""), `${alias.name} = ${alias.type}`);
  const names = [...collector.models.map((model) => model.name), ...collector.aliases.map((alias) => alias.name)].sort();
  lines.push("", "__all__ = [", ...names.map((name) => `    ${pyString(name)},`), "]");
  return `${lines.join("\n").replace(/\n{4,}/g, "\n\n\n")}\n`;
}

export function pythonOperations(document: OpenApiDocument): string {
  const lines = [
    ...HEADER(document),
    '"""Every operation of the API by operationId, for Vitrine.call()."""',
    "",
    "from typing import Dict, NamedTuple",
    "",
    "",
    "class Operation(NamedTuple):",
    "    method: str",
    "    path: str",
    "    summary: str",
    "",
    "",
    "OPERATIONS: Dict[str, Operation] = {",
    ...operationsOf(document).map(
      ({ id, method, path, summary }) => `    ${pyString(id)}: Operation(${pyString(method)}, ${pyString(path)}, ${pyString(summary)}),`,
    ),
    "}",
  ];
  return `${lines.join("\n")}\n`;
}

export const sdkPython: Generator = {
  name: "sdk-python",
  run: (document): GeneratedFile[] => [
    { path: "sdks/python/vitrine/models.py", content: pythonModels(document) },
    { path: "sdks/python/vitrine/operations.py", content: pythonOperations(document) },
  ],
};
