import { LineCounter, parseDocument, visit, type Document } from "yaml";
import { isKnownField, isListField } from "./canonical";
import { CHECK_NAMES, CHECKS, isCheckName } from "./checks";
import { parseCondition } from "./conditions";
import { parseFixes } from "./fixes";
import { lineOf } from "./locate";
import { COMMON_PLACEHOLDERS, parseTemplate, placeholdersOf } from "./messages";
import { didYouMean, escapePointer, isPlainObject, readBool, readParam, readString, unknownFieldDetail } from "./params";
import {
  DEFAULT_LIMITS,
  LOCALES,
  PackError,
  SEVERITIES,
  type CategoryDef,
  type Locale,
  type LocalizedText,
  type OverrideDef,
  type PackDefinition,
  type PackLimits,
  type PackProblem,
  type RuleDef,
  type Severity,
} from "./types";

const PACK_KEYS = ["id", "name", "version", "description", "extends", "locale_default", "rules", "categories", "overrides"];
const RULE_KEYS = ["id", "field", "check", "severity", "each", "when", "message", "fix", "source", "description"];
const CATEGORY_KEYS = ["name", "rules"];
const OVERRIDE_KEYS = ["id", "severity", "disabled"];

export const PACK_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const RULE_ID = /^[a-z0-9_][a-z0-9_.-]{0,127}$/;
const VERSION = /^\d{1,9}(?:\.\d{1,9}){0,2}(?:[-+][0-9A-Za-z.-]{1,64})?$/;
const CATEGORY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_PROBLEMS = 200;
const MAX_TEXT = 2000;

export interface ParseOptions {
  format?: "yaml" | "json";
  limits?: Partial<PackLimits>;
}

/**
 * Parses and validates a rule pack (YAML, or the same structure as JSON). Scalars stay strings
 * (failsafe schema) and are converted only where a parameter needs a number or boolean. Every
 * problem found is collected; throws PackError when there is any.
 */
export function parsePack(source: string, opts: ParseOptions = {}): PackDefinition {
  try {
    return parse(source, opts);
  } catch (e) {
    if (e instanceof PackError) throw e;
    // e.g. a stack overflow on absurdly nested input: still a rejected pack, not a crash
    throw new PackError([{ detail: `the pack could not be parsed: ${(e as Error).message}`, pointer: "" }]);
  }
}

function parse(source: string, opts: ParseOptions): PackDefinition {
  const limits: PackLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (typeof source !== "string") throw new PackError([{ detail: "the pack source must be text", pointer: "" }]);
  const bytes = utf8Length(source, limits.maxBytes);
  if (bytes > limits.maxBytes) {
    throw new PackError([{ detail: `the pack is larger than ${limits.maxBytes} bytes (${formatBytes(limits.maxBytes)})`, pointer: "" }]);
  }
  if (source.trim() === "") throw new PackError([{ detail: "the pack is empty", pointer: "", line: 1 }]);

  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(source, { schema: "failsafe", lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new PackError([{ detail: `the pack could not be parsed: ${(e as Error).message}`, pointer: "" }]);
  }
  const problems: PackProblem[] = [];
  for (const err of doc.errors) {
    problems.push({
      detail: `${opts.format === "json" ? "JSON" : "YAML"} syntax error: ${err.message.split("\n")[0].replace(/:$/, "")}`,
      pointer: "",
      line: err.linePos?.[0].line ?? lines.linePos(err.pos[0]).line,
    });
  }
  if (opts.format === "json" && problems.length === 0) {
    try {
      JSON.parse(source);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const problem: PackProblem = { detail: `JSON syntax error: ${msg}`, pointer: "" };
      if (pos) problem.line = lines.linePos(Number(pos[1])).line;
      problems.push(problem);
    }
  }
  if (problems.length) throw new PackError(problems);

  // Anchors and aliases are allowed for sharing blocks, within limits (a "billion laughs" document
  // expands a few bytes into gigabytes).
  let aliases = 0;
  visit(doc, {
    Alias(_key, node) {
      aliases++;
      if (aliases === limits.maxAliases + 1) {
        problems.push({
          detail: `the pack uses more than ${limits.maxAliases} YAML aliases`,
          pointer: "",
          line: node.range ? lines.linePos(node.range[0]).line : undefined,
        });
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (problems.length) throw new PackError(problems);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliases });
  } catch (e) {
    const msg = (e as Error).message;
    throw new PackError([
      {
        detail: /resource exhaustion/.test(msg)
          ? `YAML aliases expand too much (more than ${limits.maxAliases} expansions)`
          : `the pack could not be read: ${msg}`,
        pointer: "",
      },
    ]);
  }

  const reader = new PackReader(limits);
  const def = reader.readPack(data, source);
  for (const p of reader.problems) {
    if (p.line === undefined && p.pointer !== undefined) p.line = lineOf(doc, lines, p.pointer);
  }
  if (reader.problems.length || !def) {
    if (reader.truncated) reader.problems.push({ detail: "more problems were found; fix these first", pointer: "" });
    throw new PackError(reader.problems);
  }
  const setLine = (x: { pointer: string; line?: number }) => {
    const line = lineOf(doc, lines, x.pointer);
    if (line !== undefined) x.line = line;
  };
  def.rules.forEach(setLine);
  def.categories.forEach((c) => c.rules.forEach(setLine));
  def.overrides.forEach(setLine);
  return def;
}

function utf8Length(s: string, stopAbove: number): number {
  if (s.length > stopAbove) return s.length; // every UTF-16 unit is at least one byte
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function formatBytes(n: number): string {
  return n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

class PackReader {
  readonly problems: PackProblem[] = [];
  truncated = false;
  private ruleBudget: number;

  constructor(private readonly limits: PackLimits) {
    this.ruleBudget = limits.maxRules;
  }

  private report(detail: string, pointer: string, rule?: string): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.truncated = true;
      return;
    }
    this.problems.push(rule === undefined ? { detail, pointer } : { detail, pointer, rule });
  }

  private unknownKey(key: string, where: string, allowed: readonly string[], pointer: string, rule?: string): void {
    this.report(`unknown key "${key}" ${where}${didYouMean(key, allowed)}; allowed: ${allowed.join(", ")}`, pointer, rule);
  }

  private text(raw: unknown, name: string, pointer: string, rule?: string): string | undefined {
    if (raw === undefined) return undefined;
    const s = readString(raw);
    if (s === undefined || s.length > MAX_TEXT) {
      this.report(`${name} must be text of at most ${MAX_TEXT} characters`, pointer, rule);
      return undefined;
    }
    return s;
  }

  readPack(data: unknown, source: string): PackDefinition | undefined {
    if (!isPlainObject(data)) {
      this.report("a pack must be a mapping with id, name, version and rules", "");
      return undefined;
    }
    for (const k of Object.keys(data)) if (!PACK_KEYS.includes(k)) this.unknownKey(k, "in the pack", PACK_KEYS, `/${escapePointer(k)}`);

    const id = readString(data.id);
    if (id === undefined || !PACK_ID.test(id)) {
      this.report(
        id === undefined
          ? "the pack needs an id"
          : `pack id "${id}" is invalid: use 2–63 lowercase letters, digits and hyphens, starting with a letter or digit`,
        "/id",
      );
    }
    const name = readString(data.name);
    if (name === undefined || name.trim() === "" || name.length > 200) this.report("the pack needs a name (text of at most 200 characters)", "/name");
    const version = readString(data.version);
    if (version === undefined || !VERSION.test(version)) {
      this.report(version === undefined ? "the pack needs a version such as 1.0.0" : `version "${version}" is invalid; use a version such as 1.0.0`, "/version");
    }
    const description = this.text(data.description, "description", "/description");
    let localeDefault: Locale | undefined;
    if (data.locale_default !== undefined) {
      const l = readString(data.locale_default);
      if (l === undefined || !(LOCALES as readonly string[]).includes(l)) this.report(`locale_default must be one of ${LOCALES.join(", ")}`, "/locale_default");
      else localeDefault = l as Locale;
    }
    const parents = this.readExtends(data.extends, id);

    // Count every rule first so an oversized pack is refused before any rule is read.
    const categoriesRaw = data.categories;
    const rulesRaw = data.rules;
    let total = Array.isArray(rulesRaw) ? rulesRaw.length : 0;
    if (isPlainObject(categoriesRaw)) {
      for (const c of Object.values(categoriesRaw)) if (isPlainObject(c) && Array.isArray(c.rules)) total += c.rules.length;
    }
    if (total > this.limits.maxRules) {
      this.report(`the pack has ${total} rules; at most ${this.limits.maxRules} are allowed (category rules included)`, "/rules");
      return undefined;
    }

    const seenIds = new Map<string, string>();
    const rules = this.readRules(rulesRaw, "/rules", seenIds);
    const categories: CategoryDef[] = [];
    if (categoriesRaw !== undefined) {
      if (!isPlainObject(categoriesRaw)) this.report("categories must be a mapping of category id to { name, rules }", "/categories");
      else {
        for (const [cid, c] of Object.entries(categoriesRaw)) {
          const cp = `/categories/${escapePointer(cid)}`;
          if (!CATEGORY_ID.test(cid)) this.report(`category id "${cid}" is invalid: use up to 64 letters, digits, "_", "." and "-"`, cp);
          if (!isPlainObject(c)) {
            this.report("a category must be a mapping with name and rules", cp);
            continue;
          }
          for (const k of Object.keys(c)) if (!CATEGORY_KEYS.includes(k)) this.unknownKey(k, `in category ${cid}`, CATEGORY_KEYS, `${cp}/${escapePointer(k)}`);
          const cname = c.name === undefined ? cid : this.text(c.name, "category name", `${cp}/name`);
          categories.push({ id: cid, name: cname ?? cid, rules: this.readRules(c.rules, `${cp}/rules`, seenIds) });
        }
      }
    }
    const overrides = this.readOverrides(data.overrides, parents.length > 0);

    if (this.problems.length || id === undefined || name === undefined || version === undefined) return undefined;
    const def: PackDefinition = { id, name, version, extends: parents, rules, categories, overrides, source };
    if (description !== undefined) def.description = description;
    if (localeDefault !== undefined) def.locale_default = localeDefault;
    return def;
  }

  private readExtends(raw: unknown, self: string | undefined): string[] {
    if (raw === undefined || raw === "") return [];
    const list = Array.isArray(raw) ? raw : [raw];
    const out: string[] = [];
    list.forEach((x, i) => {
      const p = Array.isArray(raw) ? `/extends/${i}` : "/extends";
      const s = readString(x);
      if (s === undefined || !PACK_ID.test(s)) this.report("extends must be a pack id or a list of pack ids", p);
      else if (s === self) this.report(`the pack cannot extend itself`, p);
      else if (out.includes(s)) this.report(`pack "${s}" is listed twice in extends`, p);
      else out.push(s);
    });
    return out;
  }

  private readRules(raw: unknown, pointer: string, seenIds: Map<string, string>): RuleDef[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
      this.report("rules must be a list", pointer);
      return [];
    }
    const out: RuleDef[] = [];
    raw.forEach((r, i) => {
      if (this.ruleBudget-- <= 0) return;
      const def = this.readRule(r, `${pointer}/${i}`, seenIds);
      if (def) out.push(def);
    });
    return out;
  }

  private readRule(raw: unknown, p: string, seenIds: Map<string, string>): RuleDef | undefined {
    if (!isPlainObject(raw)) {
      this.report("a rule must be a mapping with id, field and check", p);
      return undefined;
    }
    const before = this.problems.length;
    const id = readString(raw.id);
    const rid = id !== undefined && RULE_ID.test(id) ? id : undefined;
    const report = (detail: string, pointer: string) => this.report(detail, pointer, rid);
    if (id === undefined) report("the rule needs an id such as ml.title.max_length", p);
    else if (!rid) report(`rule id "${id}" is invalid: use lowercase letters, digits, "_", "." and "-" (at most 128)`, `${p}/id`);
    else if (seenIds.has(rid)) report(`rule id "${rid}" is already used at ${seenIds.get(rid)}`, `${p}/id`);
    else seenIds.set(rid, p);

    const field = readString(raw.field);
    if (field === undefined || !isKnownField(field)) report(unknownFieldDetail(field), `${p}/field`);

    const checkName = readString(raw.check);
    const spec = checkName !== undefined && isCheckName(checkName) ? CHECKS[checkName] : undefined;
    if (checkName === undefined) report(`the rule needs a check (one of ${CHECK_NAMES.join(", ")})`, p);
    else if (!spec) report(`unknown check "${checkName}"${didYouMean(checkName, CHECK_NAMES)}; known checks: ${CHECK_NAMES.join(", ")}`, `${p}/check`);

    let severity: Severity = "error";
    if (raw.severity !== undefined) {
      const s = readString(raw.severity);
      if (s === undefined || !(SEVERITIES as readonly string[]).includes(s)) {
        report(`unknown severity "${s ?? ""}"; use one of ${SEVERITIES.join(", ")}`, `${p}/severity`);
      } else severity = s as Severity;
    }

    let each = false;
    if (raw.each !== undefined) {
      const b = readBool(raw.each);
      if (b === undefined) report("each must be true or false", `${p}/each`);
      else each = b;
    }
    if (each && field !== undefined && isKnownField(field) && !isListField(field)) {
      report(`each applies to list fields (images, attributes.*); ${field} is not a list`, `${p}/each`);
    }
    if (each && spec?.listValue) report(`each cannot be used with ${checkName}, which counts the whole list`, `${p}/each`);

    const when = raw.when === undefined ? undefined : parseCondition(raw.when, `${p}/when`, report, this.limits.maxPatternLength);
    const fix = raw.fix === undefined ? undefined : parseFixes(raw.fix, `${p}/fix`, report, this.limits.maxPatternLength);
    const source = this.text(raw.source, "source", `${p}/source`, rid);
    const description = this.text(raw.description, "description", `${p}/description`, rid);

    const params: Record<string, unknown> = {};
    if (spec) {
      const beforeParams = this.problems.length;
      const paramNames = Object.keys(spec.params);
      for (const [k, v] of Object.entries(raw)) {
        if (RULE_KEYS.includes(k)) continue;
        const ps = spec.params[k];
        const kp = `${p}/${escapePointer(k)}`;
        if (!ps) {
          report(
            `unknown parameter "${k}" for check ${checkName}${didYouMean(k, [...paramNames, ...RULE_KEYS])}; ` +
              (paramNames.length ? `it takes ${paramNames.join(", ")}` : "it takes no parameters"),
            kp,
          );
          continue;
        }
        const value = readParam(k, ps, v, kp, report);
        if (value !== undefined) params[k] = value;
      }
      for (const [k, ps] of Object.entries(spec.params)) {
        if (ps.required && raw[k] === undefined) report(`check ${checkName} needs the parameter "${k}"`, p);
      }
      if (this.problems.length === beforeParams) {
        spec.validate?.(params, (detail, param) => report(detail, param ? `${p}/${param}` : p), this.limits.maxPatternLength);
      }
      if (spec.fix === "required" && raw.fix === undefined) report(`check ${checkName} needs a fix: it passes when the fix changes nothing`, p);
      if (spec.fix === "forbidden" && raw.fix !== undefined) report(`check ${checkName} cannot have a fix`, `${p}/fix`);
    }

    let message: LocalizedText | undefined;
    if (raw.message !== undefined) {
      const allowed = spec ? [...COMMON_PLACEHOLDERS, ...spec.placeholders, ...Object.keys(spec.params)] : undefined;
      message = this.readMessage(raw.message, `${p}/message`, allowed, report);
    }

    if (this.problems.length > before || !rid || !field || !spec || !checkName) return undefined;
    const def: RuleDef = { id: rid, field, check: checkName as RuleDef["check"], params, severity, each, pointer: p };
    if (when) def.when = when;
    if (message) def.message = message;
    if (fix) def.fix = fix;
    if (source !== undefined) def.source = source;
    if (description !== undefined) def.description = description;
    return def;
  }

  private readMessage(
    raw: unknown,
    p: string,
    allowed: string[] | undefined,
    report: (detail: string, pointer: string) => void,
  ): LocalizedText | undefined {
    const texts: [Locale, string, string][] = [];
    const single = readString(raw);
    if (single !== undefined) texts.push(["en", single, p]);
    else if (isPlainObject(raw)) {
      for (const [k, v] of Object.entries(raw)) {
        const kp = `${p}/${escapePointer(k)}`;
        if (!(LOCALES as readonly string[]).includes(k)) {
          report(`unknown message locale "${k}"${didYouMean(k, LOCALES)}; use ${LOCALES.join(", ")}`, kp);
          continue;
        }
        const s = readString(v);
        if (s === undefined) report("a message must be text", kp);
        else texts.push([k as Locale, s, kp]);
      }
    } else {
      report('message must be text or a mapping of locale to text ({ en: "...", pt-BR: "..." })', p);
      return undefined;
    }
    const out: LocalizedText = {};
    for (const [locale, text, kp] of texts) {
      if (text.trim() === "" || text.length > MAX_TEXT) {
        report(`a message must be non-empty text of at most ${MAX_TEXT} characters`, kp);
        continue;
      }
      const t = parseTemplate(text);
      if (!t.template) {
        report(`message: ${t.error}`, kp);
        continue;
      }
      if (allowed) {
        const bad = placeholdersOf(t.template).filter((name) => !allowed.includes(name));
        if (bad.length) {
          report(`unknown placeholder {${bad[0]}} in message; available: ${[...new Set(allowed)].map((a) => `{${a}}`).join(" ")}`, kp);
          continue;
        }
      }
      out[locale] = text;
    }
    return out;
  }

  private readOverrides(raw: unknown, hasParents: boolean): OverrideDef[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
      this.report("overrides must be a list of { id, severity } or { id, disabled: true }", "/overrides");
      return [];
    }
    if (!hasParents && raw.length > 0) this.report("overrides change inherited rules, so they need extends", "/overrides");
    const out: OverrideDef[] = [];
    raw.forEach((o, i) => {
      const p = `/overrides/${i}`;
      if (!isPlainObject(o)) {
        this.report("an override must be a mapping such as { id: common.images.url, severity: warning }", p);
        return;
      }
      const id = readString(o.id);
      const rid = id !== undefined && RULE_ID.test(id) ? id : undefined;
      if (!rid) this.report("an override needs the id of an inherited rule", `${p}/id`);
      for (const k of Object.keys(o)) if (!OVERRIDE_KEYS.includes(k)) this.unknownKey(k, "in override", OVERRIDE_KEYS, `${p}/${escapePointer(k)}`, rid);
      const def: OverrideDef = { id: rid ?? "", pointer: p };
      if (o.severity !== undefined) {
        const s = readString(o.severity);
        if (s === undefined || !(SEVERITIES as readonly string[]).includes(s)) {
          this.report(`unknown severity "${s ?? ""}"; use one of ${SEVERITIES.join(", ")}`, `${p}/severity`, rid);
        } else def.severity = s as Severity;
      }
      if (o.disabled !== undefined) {
        const b = readBool(o.disabled);
        if (b === undefined) this.report("disabled must be true or false", `${p}/disabled`, rid);
        else def.disabled = b;
      }
      if (o.severity === undefined && o.disabled === undefined) this.report("an override needs severity or disabled", p, rid);
      if (rid) out.push(def);
    });
    return out;
  }
}
