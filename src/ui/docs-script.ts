/**
 * The API reference's script, served from /docs/assets/docs.js. It reads the OpenAPI
 * document and builds the reference with createElement/textContent only: nothing from
 * the spec is ever parsed as HTML. Kept free of backticks and "${" so it can live in
 * this template string.
 */
export const DOCS_JS = String.raw`"use strict";
(function () {
  var SPEC_URL = "/api/v1/openapi.json";
  var METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];
  var MAX_DEPTH = 10;
  var BACKTICK = "\x60";
  var spec = null;

  // ---------- DOM helpers ----------

  /** el("a", { class: "x", href: "#y" }, "text", child, [more]) */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        var value = attrs[key];
        if (value === undefined || value === null || value === false) continue;
        if (key === "text") node.textContent = String(value);
        else node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(parent, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(parent, c); });
    } else if (typeof child === "string" || typeof child === "number") {
      parent.appendChild(document.createTextNode(String(child)));
    } else {
      parent.appendChild(child);
    }
  }

  /** Plain text with inline code spans between backticks, split into paragraphs. */
  function richText(text, className) {
    var wrap = el("div", { class: className || "description" });
    String(text).split(/\n\s*\n/).forEach(function (para) {
      var p = el("p");
      para.split(BACKTICK).forEach(function (part, i) {
        append(p, i % 2 === 1 ? el("code", { text: part }) : part);
      });
      wrap.appendChild(p);
    });
    return wrap;
  }

  function inlineText(text) {
    var span = el("span");
    String(text).split(BACKTICK).forEach(function (part, i) {
      append(span, i % 2 === 1 ? el("code", { text: part }) : part);
    });
    return span;
  }

  /** Anchor ids contain only safe characters, whatever the spec says. */
  function slug(value) {
    return String(value).replace(/[^A-Za-z0-9_.-]+/g, "-");
  }

  function json(value) {
    try {
      return JSON.stringify(value);
    } catch (e) {
      return String(value);
    }
  }

  // ---------- $ref resolution ----------

  function refTarget(ref) {
    if (typeof ref !== "string" || ref.indexOf("#/") !== 0) return undefined;
    var node = spec;
    var parts = ref.slice(2).split("/");
    for (var i = 0; i < parts.length; i++) {
      var key = parts[i].replace(/~1/g, "/").replace(/~0/g, "~");
      if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
      node = node[key];
    }
    return node;
  }

  function refName(ref) {
    return String(ref).split("/").pop().replace(/~1/g, "/").replace(/~0/g, "~");
  }

  function isSchemaRef(ref) {
    return typeof ref === "string" && ref.indexOf("#/components/schemas/") === 0;
  }

  /** Follows $ref chains (parameters, responses, bodies, schemas); stops on loops. */
  function deref(obj) {
    var seen = [];
    while (obj && typeof obj === "object" && typeof obj.$ref === "string") {
      if (seen.indexOf(obj.$ref) !== -1) return {};
      seen.push(obj.$ref);
      var target = refTarget(obj.$ref);
      if (target === undefined) return {};
      obj = target;
    }
    return obj || {};
  }

  // ---------- JSON Schema ----------

  function typesOf(schema) {
    var s = deref(schema);
    if (Array.isArray(s.type)) return s.type.slice();
    if (typeof s.type === "string") return [s.type];
    if (s.properties || s.additionalProperties) return ["object"];
    if (s.items) return ["array"];
    return [];
  }

  function isNullSchema(schema) {
    var s = deref(schema);
    return s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === "null");
  }

  function variantsOf(s) {
    return s.oneOf || s.anyOf || null;
  }

  function isNullable(schema) {
    var s = deref(schema);
    if (s.nullable === true) return true;
    if (Array.isArray(s.type) && s.type.indexOf("null") !== -1) return true;
    var variants = variantsOf(s);
    return !!(variants && variants.some(isNullSchema));
  }

  function nonNullVariants(s) {
    return (variantsOf(s) || []).filter(function (v) { return !isNullSchema(v); });
  }

  /** Type as a short label; schema refs become links to the Models section. */
  function typeLabel(schema, depth) {
    depth = depth || 0;
    if (!schema || typeof schema !== "object") return ["any"];
    if (depth > 4) return ["…"];
    if (isSchemaRef(schema.$ref)) {
      return [el("a", { href: "#schema-" + slug(refName(schema.$ref)), text: refName(schema.$ref) })];
    }
    var s = deref(schema);
    var variants = nonNullVariants(s);
    if (variantsOf(s)) {
      if (variants.length === 1) return typeLabel(variants[0], depth + 1);
      var parts = [];
      variants.forEach(function (v, i) {
        if (i > 0) parts.push(" | ");
        parts = parts.concat(typeLabel(v, depth + 1));
      });
      return parts.length ? parts : ["null"];
    }
    if (s.allOf && s.allOf.length === 1 && !s.properties) return typeLabel(s.allOf[0], depth + 1);
    if (s.allOf) return ["object"];
    var types = typesOf(s).filter(function (t) { return t !== "null"; });
    if (types.length === 0) {
      if (s.enum) return ["enum"];
      if (s.const !== undefined) return ["const"];
      return typesOf(s).length ? ["null"] : ["any"];
    }
    var out = [];
    types.forEach(function (t, i) {
      if (i > 0) out.push(" | ");
      if (t === "array") {
        out.push("array");
        if (s.items && typeof s.items === "object" && !Array.isArray(s.items)) {
          out.push(" of ");
          out = out.concat(typeLabel(s.items, depth + 1));
        }
      } else if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
        out.push("map of ");
        out = out.concat(typeLabel(s.additionalProperties, depth + 1));
      } else {
        out.push(t);
      }
    });
    return out;
  }

  function range(min, max, unit) {
    if (min !== undefined && max !== undefined) return min === max ? "exactly " + min + unit : min + "–" + max + unit;
    if (min !== undefined) return "≥ " + min + unit;
    return "≤ " + max + unit;
  }

  /** Format, enum, bounds, default and the like, as small chips. */
  function constraints(schema) {
    var s = deref(schema);
    var chips = [];
    function chip(label, code) {
      chips.push(el("span", { class: "chip" }, label, code !== undefined ? el("code", { text: code }) : null));
    }
    if (s.deprecated) chips.push(el("span", { class: "chip deprecated", text: "deprecated" }));
    if (s.format) chip("format ", s.format);
    if (Array.isArray(s.enum) && s.enum.length === 1) chip("always ", json(s.enum[0]));
    else if (Array.isArray(s.enum)) {
      var values = el("span", { class: "chip" }, "one of ");
      s.enum.forEach(function (v, i) {
        if (i > 0) append(values, " ");
        append(values, el("code", { text: json(v) }));
      });
      chips.push(values);
    }
    if (s.const !== undefined) chip("always ", json(s.const));
    if (s.minLength !== undefined || s.maxLength !== undefined) chip("length " + range(s.minLength, s.maxLength, ""));
    var min = typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum : s.minimum;
    var max = typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum : s.maximum;
    var exMin = typeof s.exclusiveMinimum === "number" || s.exclusiveMinimum === true;
    var exMax = typeof s.exclusiveMaximum === "number" || s.exclusiveMaximum === true;
    if (min !== undefined && max !== undefined) chip(min + (exMin ? " < " : " ≤ ") + "x" + (exMax ? " < " : " ≤ ") + max);
    else if (min !== undefined) chip((exMin ? "> " : "≥ ") + min);
    else if (max !== undefined) chip((exMax ? "< " : "≤ ") + max);
    if (s.multipleOf !== undefined) chip("multiple of " + s.multipleOf);
    if (s.minItems !== undefined || s.maxItems !== undefined) chip("items " + range(s.minItems, s.maxItems, ""));
    if (s.uniqueItems) chip("unique items");
    var items = s.items && typeof s.items === "object" && !Array.isArray(s.items) ? deref(s.items) : null;
    if (items && Array.isArray(items.enum)) {
      var itemValues = el("span", { class: "chip" }, "each one of ");
      items.enum.forEach(function (v, i) {
        if (i > 0) append(itemValues, " ");
        append(itemValues, el("code", { text: json(v) }));
      });
      chips.push(itemValues);
    }
    if (items && items.format) chip("each format ", items.format);
    if (s.minProperties !== undefined || s.maxProperties !== undefined) chip("keys " + range(s.minProperties, s.maxProperties, ""));
    if (s.pattern) chip("pattern ", s.pattern);
    if (s.default !== undefined) chip("default ", json(s.default));
    if (s.readOnly) chip("read-only");
    if (s.writeOnly) chip("write-only");
    var example = s.example !== undefined ? s.example : Array.isArray(s.examples) ? s.examples[0] : undefined;
    if (example !== undefined) chip("example ", json(example));
    return chips.length ? el("div", { class: "constraints" }, chips) : null;
  }

  function isComplex(schema) {
    var s = deref(schema);
    if (s.properties || variantsOf(s) || s.allOf) return true;
    if (s.additionalProperties && typeof s.additionalProperties === "object") return isComplex(s.additionalProperties);
    if (s.items && typeof s.items === "object" && !Array.isArray(s.items)) return isComplex(s.items);
    return Array.isArray(s.prefixItems);
  }

  /** The rows that describe a schema: properties, items, variants. "stack" holds the refs being expanded. */
  function schemaBody(schema, stack, depth) {
    if (!schema || typeof schema !== "object") return [el("div", { class: "schema-note", text: "Any JSON value." })];
    if (schema.$ref) {
      if (stack.indexOf(schema.$ref) !== -1) {
        return [el("div", { class: "schema-note" }, "Recursive: the same shape as ", typeLabel(schema), ".")];
      }
      stack = stack.concat([schema.$ref]);
    }
    if (depth > MAX_DEPTH) return [el("div", { class: "schema-note" }, "Nested further; see ", typeLabel(schema), ".")];
    var s = deref(schema);
    var rows = [];

    if (s.properties && typeof s.properties === "object") {
      var required = Array.isArray(s.required) ? s.required : [];
      Object.keys(s.properties).forEach(function (name) {
        rows.push(propertyRow(name, s.properties[name], required.indexOf(name) !== -1, stack, depth));
      });
    }
    if (s.additionalProperties && typeof s.additionalProperties === "object") {
      rows.push(propertyRow("[key: string]", s.additionalProperties, false, stack, depth));
    }
    if (s.items && typeof s.items === "object" && !Array.isArray(s.items) && isComplex(s.items)) {
      rows = rows.concat(schemaBody(s.items, stack, depth + 1));
    }
    if (Array.isArray(s.prefixItems)) {
      s.prefixItems.forEach(function (item, i) { rows.push(propertyRow("[" + i + "]", item, true, stack, depth)); });
    }
    var variants = variantsOf(s);
    if (variants) {
      var real = nonNullVariants(s);
      if (real.length === 1 && !s.properties) {
        rows = rows.concat(isComplex(real[0]) ? schemaBody(real[0], stack, depth + 1) : []);
      } else {
        var word = s.oneOf ? "One of" : "Any of";
        real.forEach(function (v, i) {
          var dv = deref(v);
          rows.push(el("div", { class: "variant-title" }, word + " · option " + (i + 1) + " · ", typeLabel(v), dv.title ? " — " + dv.title : ""));
          rows.push(variantBlock(v, stack, depth));
        });
      }
    }
    if (Array.isArray(s.allOf)) {
      s.allOf.forEach(function (part) {
        var body = schemaBody(part, stack, depth + 1);
        rows = rows.concat(body);
      });
    }
    if (rows.length === 0 && depth === 0) {
      rows.push(el("div", { class: "prop" },
        el("div", { class: "prop-head" }, el("span", { class: "type-label" }, typeLabel(schema)),
          isNullable(schema) ? el("span", { class: "opt", text: "nullable" }) : null),
        s.description ? el("div", { class: "prop-desc" }, inlineText(s.description)) : null,
        constraints(schema)));
    }
    return rows;
  }

  function variantBlock(v, stack, depth) {
    var dv = deref(v);
    var body = isComplex(v) ? schemaBody(v, stack, depth + 1) : [];
    return el("div", { class: "schema" },
      dv.description ? el("div", { class: "prop-desc" }, inlineText(dv.description)) : null,
      constraints(v), body);
  }

  function propertyRow(name, schema, required, stack, depth) {
    var s = deref(schema);
    var description = (schema && schema.description) || s.description;
    var head = el("div", { class: "prop-head" },
      el("span", { class: "prop-name", text: name }),
      el("span", { class: "type-label" }, typeLabel(schema)),
      required ? el("span", { class: "req", text: "required" }) : el("span", { class: "opt", text: "optional" }),
      isNullable(schema) ? el("span", { class: "opt", text: "· nullable" }) : null);
    var nested = null;
    if (isComplex(schema)) {
      var inner = schemaBody(schema, stack, depth + 1);
      if (inner.length) nested = el("div", { class: "schema" }, inner);
    }
    return el("div", { class: "prop" }, head,
      description ? el("div", { class: "prop-desc" }, inlineText(description)) : null,
      constraints(schema), nested);
  }

  function renderSchema(schema) {
    return el("div", { class: "schema" }, schemaBody(schema, [], 0));
  }

  // ---------- Examples ----------

  var ID_PREFIX = /^([a-z]{2,8}_)…/;

  /** A plausible value for a schema; "name" is the property's name, used as a hint for strings. */
  function exampleFor(schema, stack, depth, name) {
    if (!schema || typeof schema !== "object" || depth > 8) return null;
    if (schema.$ref) {
      if (stack.indexOf(schema.$ref) !== -1) return null;
      stack = stack.concat([schema.$ref]);
    }
    var s = deref(schema);
    if (s.example !== undefined) return s.example;
    if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
    if (s.const !== undefined) return s.const;
    if (s.default !== undefined) return s.default;
    if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
    var variants = nonNullVariants(s);
    if (variants.length) return exampleFor(variants[0], stack, depth + 1, name);
    if (Array.isArray(s.allOf)) {
      var merged = {};
      s.allOf.forEach(function (part) {
        var value = exampleFor(part, stack, depth + 1);
        if (value && typeof value === "object" && !Array.isArray(value)) Object.assign(merged, value);
      });
      return merged;
    }
    var type = typesOf(s).filter(function (t) { return t !== "null"; })[0];
    if (type === "object") {
      var out = {};
      Object.keys(s.properties || {}).forEach(function (key) {
        out[key] = exampleFor(s.properties[key], stack, depth + 1, key);
      });
      return out;
    }
    if (type === "array") {
      var item = s.items && !Array.isArray(s.items) ? exampleFor(s.items, stack, depth + 1) : null;
      return item === null ? [] : [item];
    }
    if (type === "integer" || type === "number") return s.minimum !== undefined ? s.minimum : 0;
    if (type === "boolean") return true;
    if (type === "null") return null;
    if (type === "string") return stringExample(s, name);
    return null;
  }

  function stringExample(s, name) {
    var formats = {
      email: "seller@example.com",
      "date-time": "2026-01-15T12:00:00Z",
      date: "2026-01-15",
      time: "12:00:00Z",
      uri: "https://example.com",
      url: "https://example.com",
      uuid: "3f2b8c1e-6d4a-4f0e-9b7a-2c1d5e8f9a10",
      binary: "<binary>",
    };
    if (s.format && formats[s.format]) return formats[s.format];
    var prefix = ID_PREFIX.exec(s.description || "");
    if (prefix) return prefix[1] + "01jh8x5c2m9v7k3p4q6r";
    if (/timestamp/i.test(s.description || "") || /_at$/.test(name || "")) return formats["date-time"];
    if (/(^|_)email$/.test(name || "")) return formats.email;
    if (/(^|_)url$/.test(name || "")) return formats.uri;
    return "string";
  }

  // ---------- Operations ----------

  function securityOf(op) {
    var requirements = Array.isArray(op.security) ? op.security : Array.isArray(spec.security) ? spec.security : [];
    if (requirements.length === 0 || requirements.some(function (r) { return Object.keys(r || {}).length === 0; })) {
      return { public: true, names: [] };
    }
    var names = [];
    requirements.forEach(function (r) { Object.keys(r).forEach(function (n) { if (names.indexOf(n) === -1) names.push(n); }); });
    return { public: false, names: names };
  }

  function securityChip(op) {
    var sec = securityOf(op);
    if (sec.public) return el("span", { class: "chip public", text: "Public · no API key" });
    var schemes = (spec.components && spec.components.securitySchemes) || {};
    var labels = sec.names.map(function (name) {
      var scheme = deref(schemes[name] || {});
      if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") return "Bearer API key";
      if (scheme.type === "apiKey") return "API key in " + scheme.in + " " + scheme.name;
      return name;
    });
    return el("span", { class: "chip bearer", text: labels.join(" or ") });
  }

  function parametersOf(pathItem, op) {
    var byKey = {};
    var order = [];
    (pathItem.parameters || []).concat(op.parameters || []).forEach(function (raw) {
      var p = deref(raw);
      if (!p.name) return;
      var key = p.in + ":" + p.name;
      if (!byKey[key]) order.push(key);
      byKey[key] = p;
    });
    return order.map(function (k) { return byKey[k]; });
  }

  function parametersTable(params) {
    var body = el("tbody");
    params.forEach(function (p) {
      var schema = p.schema || (p.content && Object.keys(p.content).length ? p.content[Object.keys(p.content)[0]].schema : undefined);
      var description = p.description || (schema && deref(schema).description);
      body.appendChild(el("tr", null,
        el("td", { class: "name", text: p.name }),
        el("td", null, el("code", { text: p.in })),
        el("td", null, p.required || p.in === "path" ? el("span", { class: "req", text: "required" }) : el("span", { class: "opt", text: "optional" })),
        el("td", { class: "type-cell" }, el("span", { class: "type" }, schema ? typeLabel(schema) : "string"), p.deprecated ? el("div", { class: "constraints" }, el("span", { class: "chip deprecated", text: "deprecated" })) : null),
        el("td", { class: "desc-cell" }, description ? inlineText(description) : null, schema ? constraints(schema) : null)));
    });
    return el("div", { class: "table-wrap" }, el("table", { class: "params" },
      el("thead", null, el("tr", null, ["Name", "In", "Required", "Type", "Description"].map(function (h) { return el("th", { text: h }); }))),
      body));
  }

  /** One block per distinct schema; media types that share a schema are listed together. */
  function contentBlocks(content) {
    var groups = [];
    Object.keys(content || {}).forEach(function (media) {
      var schema = (content[media] || {}).schema;
      var key = json(schema);
      var group = groups.filter(function (g) { return g.key === key; })[0];
      if (group) group.media.push(media);
      else groups.push({ key: key, schema: schema, media: [media] });
    });
    return groups.map(function (g) {
      return el("div", { class: "content-block" },
        el("div", { class: "media", text: g.media.join(" · ") }),
        g.schema ? renderSchema(g.schema) : el("div", { class: "schema-note", text: "No schema documented." }));
    });
  }

  function requestBodySection(raw) {
    if (!raw) return null;
    var body = deref(raw);
    return [
      el("h4", null, "Request body ", body.required ? el("span", { class: "req", text: "required" }) : null),
      body.description ? richText(body.description) : null,
      contentBlocks(body.content),
    ];
  }

  function statusClass(code) {
    var first = String(code).charAt(0);
    return "status s" + ("2345".indexOf(first) !== -1 ? first : "4");
  }

  function responsesSection(responses, heading) {
    var codes = Object.keys(responses || {});
    if (!codes.length) return null;
    var list = el("div", { class: "responses" });
    codes.forEach(function (code) {
      var r = deref(responses[code]);
      var details = el("details", { class: "response", open: code.charAt(0) === "2" },
        el("summary", null,
          el("span", { class: statusClass(code), text: code }),
          el("span", { class: "status-desc" }, inlineText(r.description || ""))));
      var inner = el("div", { class: "body" });
      var headers = r.headers ? Object.keys(r.headers) : [];
      if (headers.length) {
        append(inner, el("div", { class: "media", text: "Headers" }));
        append(inner, parametersTable(headers.map(function (name) {
          var h = deref(r.headers[name]);
          return { name: name, in: "header", required: h.required, schema: h.schema, description: h.description };
        })));
      }
      var blocks = contentBlocks(r.content);
      if (blocks.length) append(inner, blocks);
      else if (!headers.length) append(inner, el("div", { class: "schema-note", text: "No response body." }));
      details.appendChild(inner);
      list.appendChild(details);
    });
    return [el("h4", { text: heading || "Responses" }), list];
  }

  function shellQuote(text) {
    return "'" + String(text).replace(/'/g, "'\\''") + "'";
  }

  function firstJson(content) {
    var keys = Object.keys(content || {});
    var media = keys.filter(function (k) { return /json/i.test(k); })[0] || keys[0];
    return media ? { media: media, schema: (content[media] || {}).schema } : null;
  }

  function sampleFile(media) {
    if (/csv/i.test(media)) return "products.csv";
    if (/spreadsheetml|excel/i.test(media)) return "products.xlsx";
    if (/ndjson/i.test(media)) return "products.ndjson";
    if (/yaml/i.test(media)) return "pack.yaml";
    return "part.bin";
  }

  function curlExample(method, path, params, op) {
    var url = location.origin + path.replace(/\{([^}]+)\}/g, function (_, name) {
      var p = params.filter(function (x) { return x.in === "path" && x.name === name; })[0];
      var example = p && (p.example !== undefined ? p.example : p.schema ? exampleFor(p.schema, [], 0) : undefined);
      return example && example !== "string" ? encodeURIComponent(String(example)) : "<" + name + ">";
    });
    var query = params.filter(function (p) { return p.in === "query" && p.required; }).map(function (p) {
      var value = p.example !== undefined ? p.example : exampleFor(p.schema, [], 0);
      return encodeURIComponent(p.name) + "=" + encodeURIComponent(String(value));
    });
    if (query.length) url += "?" + query.join("&");
    var lines = ["curl" + (method === "get" ? "" : " -X " + method.toUpperCase()) + " \"" + url + "\""];
    if (!securityOf(op).public) lines.push("  -H \"Authorization: Bearer $VITRINE_KEY\"");
    params.filter(function (p) { return p.in === "header" && (p.required || /^idempotency-key$/i.test(p.name)); }).forEach(function (p) {
      if (/^idempotency-key$/i.test(p.name)) return lines.push("  -H \"Idempotency-Key: $(uuidgen)\"");
      lines.push("  -H " + shellQuote(p.name + ": " + String(p.example !== undefined ? p.example : exampleFor(p.schema, [], 0))));
    });
    var body = op.requestBody ? deref(op.requestBody) : null;
    // The first media type listed is the operation's main one (CSV for uploads, YAML for rule packs).
    var media = body && Object.keys(body.content || {})[0];
    if (media) {
      if (/multipart\/form-data/i.test(media)) {
        lines.push("  -F \"file=@products.csv\"");
      } else {
        lines.push("  -H \"Content-Type: " + media + "\"");
        if (/json/i.test(media) && !/ndjson/i.test(media)) {
          var example = exampleFor((body.content[media] || {}).schema, [], 0);
          lines.push("  -d " + shellQuote(JSON.stringify(example, null, 2).replace(/\n/g, "\n  ")));
        } else {
          lines.push("  --data-binary @" + sampleFile(media));
        }
      }
    }
    return lines.join(" \\\n");
  }

  function codePanel(title, text) {
    var copy = el("button", { type: "button", class: "copy", text: "Copy" });
    copy.addEventListener("click", function () {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(text).then(function () {
        copy.textContent = "Copied";
        setTimeout(function () { copy.textContent = "Copy"; }, 1500);
      }, function () {});
    });
    return el("div", { class: "code-panel" }, el("header", null, el("span", { text: title }), copy), el("pre", null, el("code", { text: text })));
  }

  function responseExamplePanel(responses) {
    var codes = Object.keys(responses || {}).filter(function (c) { return c.charAt(0) === "2"; });
    for (var i = 0; i < codes.length; i++) {
      var r = deref(responses[codes[i]]);
      var payload = firstJson(r.content);
      if (payload && payload.schema) {
        return codePanel("Response " + codes[i], JSON.stringify(exampleFor(payload.schema, [], 0), null, 2));
      }
    }
    return null;
  }

  function pathNode(path) {
    var span = el("span", { class: "path" });
    path.split(/(\{[^}]+\})/).forEach(function (part) {
      append(span, /^\{[^}]+\}$/.test(part) ? el("span", { class: "param", text: part }) : part);
    });
    return span;
  }

  function operationSection(entry) {
    var op = entry.op;
    var params = parametersOf(entry.pathItem, op);
    var main = el("div", { class: "op-main" },
      el("div", { class: "op-head" },
        el("h3", null, el("a", { class: "anchor", href: "#" + entry.anchor, text: op.summary || entry.method.toUpperCase() + " " + entry.path })),
        el("div", { class: "endpoint" }, el("span", { class: "method " + entry.method, text: entry.method.toUpperCase() }), pathNode(entry.path))),
      el("div", { class: "meta" },
        securityChip(op),
        op.operationId ? el("span", { class: "chip" }, "operationId ", el("code", { text: op.operationId })) : null,
        op.deprecated ? el("span", { class: "chip deprecated", text: "deprecated" }) : null),
      op.description ? richText(op.description) : null,
      params.length ? [el("h4", { text: "Parameters" }), parametersTable(params)] : null,
      requestBodySection(op.requestBody),
      responsesSection(op.responses));
    var aside = el("div", { class: "op-aside" },
      el("div", { class: "sticky" },
        codePanel("Request", curlExample(entry.method, entry.path, params, op)),
        responseExamplePanel(op.responses)));
    return el("section", { class: "op", id: entry.anchor }, main, aside);
  }

  function webhookSection(entry) {
    var op = entry.op;
    var body = op.requestBody ? deref(op.requestBody) : null;
    var payload = body && firstJson(body.content);
    var main = el("div", { class: "op-main" },
      el("div", { class: "op-head" },
        el("h3", null, el("a", { class: "anchor", href: "#" + entry.anchor, text: op.summary || entry.name })),
        el("div", { class: "endpoint" }, el("span", { class: "method event", text: "EVENT" }), el("span", { class: "path", text: entry.name }))),
      el("div", { class: "meta" },
        el("span", { class: "chip" }, entry.method.toUpperCase() + " to your endpoint"),
        op.operationId ? el("span", { class: "chip" }, "operationId ", el("code", { text: op.operationId })) : null),
      op.description ? richText(op.description) : null,
      parametersOf(entry.pathItem, op).length ? [el("h4", { text: "Headers and parameters" }), parametersTable(parametersOf(entry.pathItem, op))] : null,
      body ? [el("h4", { text: "Payload" }), body.description ? richText(body.description) : null, contentBlocks(body.content)] : null,
      responsesSection(op.responses, "Your endpoint answers"));
    var aside = el("div", { class: "op-aside" },
      el("div", { class: "sticky" },
        payload && payload.schema ? codePanel("Payload", JSON.stringify(exampleFor(payload.schema, [], 0), null, 2)) : null));
    return el("section", { class: "op", id: entry.anchor }, main, aside);
  }

  // ---------- Collecting and grouping ----------

  function collectOperations() {
    var groups = [];
    var byTag = {};
    (spec.tags || []).forEach(function (t) {
      if (t && t.name && !byTag[t.name]) {
        byTag[t.name] = { name: t.name, description: t.description, entries: [] };
        groups.push(byTag[t.name]);
      }
    });
    var used = {};
    Object.keys(spec.paths || {}).forEach(function (path) {
      var pathItem = deref(spec.paths[path]);
      METHODS.forEach(function (method) {
        var op = pathItem[method];
        if (!op || typeof op !== "object") return;
        var tag = (Array.isArray(op.tags) && op.tags[0]) || "Other";
        if (!byTag[tag]) {
          byTag[tag] = { name: tag, entries: [] };
          groups.push(byTag[tag]);
        }
        var anchor = "op-" + slug(op.operationId || method + "-" + path);
        while (used[anchor]) anchor += "-";
        used[anchor] = true;
        byTag[tag].entries.push({ method: method, path: path, pathItem: pathItem, op: op, anchor: anchor, tag: tag });
      });
    });
    return groups.filter(function (g) { return g.entries.length; });
  }

  function collectWebhooks() {
    var entries = [];
    Object.keys(spec.webhooks || {}).forEach(function (name) {
      var pathItem = deref(spec.webhooks[name]);
      METHODS.forEach(function (method) {
        var op = pathItem[method];
        if (op && typeof op === "object") {
          entries.push({ name: name, method: method, pathItem: pathItem, op: op, anchor: "webhook-" + slug(name) });
        }
      });
    });
    return entries;
  }

  // ---------- Sidebar ----------

  function navLink(href, badge, label, searchText) {
    return el("li", { "data-search": searchText.toLowerCase() },
      el("a", { href: href, title: label }, badge, el("span", { class: "label", text: label })));
  }

  function navGroup(title, items) {
    return el("div", { class: "nav-group" }, el("h2", { text: title }), el("ul", null, items));
  }

  function buildNav(groups, webhooks, schemaNames) {
    var nav = document.getElementById("nav-api");
    if (!nav) return;
    groups.forEach(function (g) {
      nav.appendChild(navGroup(g.name, g.entries.map(function (e) {
        var label = e.op.summary || e.path;
        return navLink("#" + e.anchor, el("span", { class: "method " + e.method, text: e.method.toUpperCase() }), label,
          [g.name, e.method, e.path, label, e.op.operationId || ""].join(" "));
      })));
    });
    if (webhooks.length) {
      nav.appendChild(navGroup("Webhook events", webhooks.map(function (w) {
        return navLink("#" + w.anchor, el("span", { class: "method event", text: "EVENT" }), w.name,
          ["webhook event", w.name, w.op.summary || "", w.op.operationId || ""].join(" "));
      })));
    }
    if (schemaNames.length) {
      nav.appendChild(navGroup("Models", schemaNames.map(function (name) {
        return navLink("#schema-" + slug(name), null, name, "model schema " + name);
      })));
    }
  }

  function setUpFilter() {
    var input = document.getElementById("filter");
    var empty = document.getElementById("nav-empty");
    if (!input) return;
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var any = false;
      document.querySelectorAll("#nav .nav-group").forEach(function (group) {
        var visible = 0;
        group.querySelectorAll("li").forEach(function (li) {
          var text = li.getAttribute("data-search") || li.textContent.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          li.hidden = !match;
          if (match) visible++;
        });
        group.hidden = visible === 0;
        if (visible) any = true;
      });
      if (empty) empty.hidden = any;
    }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        input.value = "";
        apply();
      } else if (e.key === "Enter") {
        var first = document.querySelector("#nav li:not([hidden]) a");
        if (first) first.click();
      }
    });
    document.addEventListener("keydown", function (e) {
      var target = e.target;
      var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
      if (e.key === "/" && !typing) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  function setUpActiveLink() {
    if (!("IntersectionObserver" in window)) return;
    var links = {};
    document.querySelectorAll("#nav a[href^='#']").forEach(function (a) { links[a.getAttribute("href").slice(1)] = a; });
    var current = null;
    var observer = new IntersectionObserver(function (records) {
      records.forEach(function (r) {
        if (!r.isIntersecting) return;
        var link = links[r.target.id];
        if (!link) return;
        if (current) current.classList.remove("active");
        current = link;
        link.classList.add("active");
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    Object.keys(links).forEach(function (id) {
      var target = document.getElementById(id);
      if (target) observer.observe(target);
    });
  }

  // ---------- Page ----------

  function render() {
    var info = spec.info || {};
    if (info.title) {
      document.title = info.title + " reference";
      var title = document.getElementById("api-title");
      if (title) title.textContent = info.title;
    }
    var version = document.getElementById("api-version");
    if (version && info.version) version.textContent = "v" + info.version;
    var description = document.getElementById("api-description");
    if (description && info.description) {
      description.textContent = "";
      description.appendChild(inlineText(info.description));
    }

    var groups = collectOperations();
    var webhooks = collectWebhooks();
    var schemas = (spec.components && spec.components.schemas) || {};
    var schemaNames = Object.keys(schemas);

    var reference = document.getElementById("reference");
    reference.textContent = "";
    groups.forEach(function (g) {
      reference.appendChild(el("section", { class: "doc tag-group", id: "tag-" + slug(g.name) },
        el("h2", { text: g.name }),
        g.description ? richText(g.description, "tag-description") : null,
        g.entries.map(operationSection)));
    });
    if (webhooks.length) {
      reference.appendChild(el("section", { class: "doc tag-group", id: "webhook-events" },
        el("h2", { text: "Webhook events" }),
        richText("Vitrine sends these events as HTTP POST requests to the endpoints you register, signed per Standard Webhooks (" +
          BACKTICK + "webhook-id" + BACKTICK + ", " + BACKTICK + "webhook-timestamp" + BACKTICK + ", " + BACKTICK + "webhook-signature" + BACKTICK +
          "). Answer with any 2xx status quickly; other answers and timeouts are retried.", "tag-description"),
        webhooks.map(webhookSection)));
    }

    var models = document.getElementById("models");
    if (models && schemaNames.length) {
      models.textContent = "";
      models.hidden = false;
      append(models, el("h2", { text: "Models" }));
      append(models, el("p", { class: "lead", text: "Shapes shared between operations. Types in the reference link here." }));
      schemaNames.forEach(function (name) {
        var schema = schemas[name];
        var s = deref(schema);
        models.appendChild(el("div", { class: "model", id: "schema-" + slug(name) },
          el("h3", null, el("a", { class: "anchor", href: "#schema-" + slug(name), text: name })),
          s.description ? richText(s.description) : null,
          el("div", { class: "schema" }, schemaBody({ $ref: "#/components/schemas/" + name.replace(/~/g, "~0").replace(/\//g, "~1") }, [], 0))));
      });
    }

    buildNav(groups, webhooks, schemaNames);
    setUpActiveLink();

    // The fragment may name an element that only exists now.
    if (location.hash.length > 1) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView({ behavior: "instant" });
    }
  }

  function fail(message) {
    var reference = document.getElementById("reference");
    if (!reference) return;
    reference.textContent = "";
    reference.appendChild(el("div", { class: "notice error" }, message + " The raw OpenAPI document is at ",
      el("a", { href: SPEC_URL, text: SPEC_URL }), "."));
  }

  function start() {
    setUpFilter();
    fetch(SPEC_URL, { headers: { accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("The API description answered " + response.status + ".");
        return response.json();
      })
      .then(function (document_) {
        spec = document_ && typeof document_ === "object" ? document_ : {};
        render();
      })
      .catch(function (error) {
        console.warn("docs:", error);
        fail("Could not load the API description. " + (error && error.message ? error.message : ""));
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
`;
