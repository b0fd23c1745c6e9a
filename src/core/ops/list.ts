import { columnKey } from "../mapping/normalize";
import { isBlankString } from "../rules/values";
import { text, type Text } from "../text";
import { FAIL, type Operation } from "./types";

/** An empty cell: undefined, null or blank text. */
const absent = (v: unknown) => v === undefined || v === null || (typeof v === "string" && isBlankString(v));

function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return String(v);
  return undefined;
}

const ALL_SPACES = /\s+/g;

/** Splits one text into a list ("a | b" → ["a", "b"]), dropping empty parts. */
export const split: Operation = {
  name: "split",
  family: "list",
  params: { separator: { kind: "text", minLength: 1, maxLength: 10 } },
  scalar: true,
  flattens: true,
  compile(p) {
    const sep: string = p.separator ?? "|";
    return {
      forward(v) {
        if (typeof v !== "string") return v;
        const out: string[] = [];
        for (const part of v.split(sep)) {
          const t = part.trim();
          if (t.length > 0) out.push(t);
        }
        return out.length ? out : undefined;
      },
      reverse(v) {
        if (!Array.isArray(v)) return typeof v === "string" ? v : FAIL;
        const items: string[] = [];
        for (const item of v) {
          const t = scalarText(item);
          if (t === undefined || t.includes(sep)) return FAIL;
          items.push(t);
        }
        return items.join(sep);
      },
    };
  },
};

/** Gathers the filled columns into one list. */
export const collect: Operation = {
  name: "collect",
  family: "list",
  params: {},
  scalar: false,
  combines: true,
  compile: () => ({
    forward(v) {
      if (!Array.isArray(v)) return [v];
      const out: unknown[] = [];
      for (const item of v) {
        if (Array.isArray(item)) {
          for (const x of item) if (!absent(x)) out.push(x);
        } else if (!absent(item)) out.push(item);
      }
      return out.length ? out : undefined;
    },
    reverse(v, orig) {
      const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
      if (!Array.isArray(orig)) return items.length === 1 ? items[0] : FAIL;
      const out: unknown[] = new Array(orig.length).fill(undefined);
      const filled: number[] = [];
      for (let i = 0; i < orig.length; i++) if (!absent(orig[i])) filled.push(i);
      if (items.length > orig.length || items.some((x) => Array.isArray(x))) return FAIL;
      // Same number of items: keep each in the column it came from; otherwise fill from the first column.
      if (items.length === filled.length) items.forEach((x, k) => (out[filled[k]] = x));
      else items.forEach((x, k) => (out[k] = x));
      return out;
    },
  }),
};

/** The first filled column. */
export const first: Operation = {
  name: "first",
  family: "list",
  params: {},
  scalar: false,
  combines: true,
  compile: () => ({
    forward(v) {
      if (!Array.isArray(v)) return v;
      for (const item of v) if (!absent(item)) return item;
      return undefined;
    },
    reverse(v, orig) {
      if (!Array.isArray(orig)) return v;
      const out = orig.slice();
      const at = orig.findIndex((x) => !absent(x));
      out[at < 0 ? 0 : at] = v;
      return out;
    },
  }),
};

/** The filled columns joined into one text. Not reversible: where one column ends is lost. */
export const concat: Operation = {
  name: "concat",
  family: "list",
  params: { separator: { kind: "text", maxLength: 10 } },
  scalar: false,
  combines: true,
  compile(p) {
    const sep: string = p.separator ?? " ";
    return {
      forward(v) {
        const items = Array.isArray(v) ? v : [v];
        let out = "";
        let n = 0;
        for (const item of items) {
          const t = scalarText(item);
          if (t === undefined || isBlankString(t)) continue;
          out += (n++ > 0 ? sep : "") + t;
        }
        return n > 0 ? out : undefined;
      },
    };
  },
};

type TemplatePart = string | { name: string };

/** Splits "{Marca} {Modelo}" into literal text and placeholders; `{{` and `}}` are literal braces. */
export function parseTemplate(t: string): TemplatePart[] | { problem: Text } {
  const out: TemplatePart[] = [];
  let lit = "";
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if ((c === "{" || c === "}") && t[i + 1] === c) {
      lit += c;
      i++;
    } else if (c === "{") {
      const end = t.indexOf("}", i);
      if (end < 0) return { problem: text(`unclosed "{" at character ${i + 1}`, `"{" sem fechamento no caractere ${i + 1}`) };
      const name = t.slice(i + 1, end).trim();
      if (!name || name.length > 200) {
        return { problem: text(`empty or too long placeholder at character ${i + 1}`, `marcador vazio ou longo demais no caractere ${i + 1}`) };
      }
      if (lit) out.push(lit);
      lit = "";
      out.push({ name });
      i = end;
    } else if (c === "}") return { problem: text(`unmatched "}" at character ${i + 1}`, `"}" sem abertura no caractere ${i + 1}`) };
    else lit += c;
  }
  if (lit) out.push(lit);
  if (!out.some((p) => typeof p !== "string")) return { problem: text("the template has no {placeholder}", "o modelo não tem nenhum {marcador}") };
  return out;
}

/** Placeholder names of a template, for fields whose sources are implied by it. */
export function templatePlaceholders(t: string): string[] {
  const parts = parseTemplate(t);
  if (!Array.isArray(parts)) return [];
  return parts.filter((p): p is { name: string } => typeof p !== "string" && p.name !== "value").map((p) => p.name);
}

/** Writes columns into a text ("{Marca} {Modelo}"); empty parts leave no double spaces. */
export const template: Operation = {
  name: "template",
  family: "list",
  params: { template: { kind: "text", required: true, minLength: 1, maxLength: 1000 } },
  scalar: false,
  onAbsent: true,
  combines: true,
  compile(p, ctx, problem) {
    const parts = parseTemplate(p.template);
    if (!Array.isArray(parts)) {
      problem(parts.problem, "template");
      return undefined;
    }
    const sources = ctx.sources ?? [];
    if (sources.some((s) => s.includes("*"))) {
      problem(text('name each column in "sources"; a "*" pattern cannot be used with a template', 'nomeie cada coluna em "sources"; um padrão com "*" não pode ser usado com um modelo'), "template");
      return undefined;
    }
    const keys = sources.map(columnKey);
    const pieces: (string | number)[] = [];
    for (const part of parts) {
      if (typeof part === "string") {
        pieces.push(part);
        continue;
      }
      const i = part.name === "value" ? -1 : keys.indexOf(columnKey(part.name));
      if (i < 0 && part.name !== "value") {
        const listed = sources.join(", ");
        problem(
          text(
            `{${part.name}} is not one of the field's source columns (${listed || "none"})`,
            `{${part.name}} não é uma das colunas de origem do campo (${listed || "nenhuma"})`,
          ),
          "template",
        );
        return undefined;
      }
      pieces.push(i);
    }
    const multi = ctx.multi === true;
    return {
      forward(v) {
        let out = "";
        for (const piece of pieces) {
          if (typeof piece === "string") out += piece;
          else {
            const x = piece < 0 || !multi ? v : Array.isArray(v) ? v[piece] : undefined;
            out += scalarText(x) ?? "";
          }
        }
        out = out.replace(ALL_SPACES, " ").trim();
        return out.length ? out : undefined;
      },
    };
  },
};

export const LIST_OPS: readonly Operation[] = [split, collect, first, concat, template];
