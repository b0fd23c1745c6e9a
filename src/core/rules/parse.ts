import { LineCounter, parseDocument, visit, type Document } from "yaml";
import { isKnownField, isListField } from "./canonical";
import { CHECK_NAMES, CHECKS, isCheckName } from "./checks";
import { parseCondition } from "./conditions";
import { parseFixes } from "./fixes";
import { lineOf } from "./locate";
import { COMMON_PLACEHOLDERS, parseTemplate, placeholdersOf } from "./messages";
import { didYouMean, escapePointer, isPlainObject, readBool, readParam, readString, type Report, unknownFieldDetail } from "../ops/params";
import { text, type Text } from "../text";
import {
  DEFAULT_LIMITS,
  LOCALES,
  PackError,
  packProblem,
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
  /**
   * The pack is one of Vitrine's reviewed built-in packs: its patterns may run on the native
   * regular-expression engine. Never set for a pack an account wrote.
   */
  trusted?: boolean;
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
    throw new PackError([notParsed(e)]);
  }
}

function notParsed(e: unknown): PackProblem {
  const why = (e as Error).message;
  return packProblem(text(`the pack could not be parsed: ${why}`, `não foi possível ler o pacote: ${why}`), { pointer: "" });
}

function parse(source: string, opts: ParseOptions): PackDefinition {
  const limits: PackLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (typeof source !== "string") throw new PackError([packProblem(text("the pack source must be text", "o conteúdo do pacote deve ser texto"), { pointer: "" })]);
  const bytes = utf8Length(source, limits.maxBytes);
  if (bytes > limits.maxBytes) {
    const size = formatBytes(limits.maxBytes);
    throw new PackError([
      packProblem(text(`the pack is larger than ${limits.maxBytes} bytes (${size.en})`, `o pacote passa de ${limits.maxBytes} bytes (${size["pt-BR"]})`), { pointer: "" }),
    ]);
  }
  if (source.trim() === "") throw new PackError([packProblem(text("the pack is empty", "o pacote está vazio"), { pointer: "", line: 1 })]);

  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(source, { schema: "failsafe", lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new PackError([notParsed(e)]);
  }
  const problems: PackProblem[] = [];
  for (const err of doc.errors) {
    const kind = opts.format === "json" ? "JSON" : "YAML";
    const why = err.message.split("\n")[0].replace(/:$/, "");
    problems.push(
      packProblem(text(`${kind} syntax error: ${why}`, `erro de sintaxe ${kind}: ${why}`), {
        pointer: "",
        line: err.linePos?.[0].line ?? lines.linePos(err.pos[0]).line,
      }),
    );
  }
  if (opts.format === "json" && problems.length === 0) {
    try {
      JSON.parse(source);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const problem = packProblem(text(`JSON syntax error: ${msg}`, `erro de sintaxe JSON: ${msg}`), { pointer: "" });
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
        problems.push(
          packProblem(text(`the pack uses more than ${limits.maxAliases} YAML aliases`, `o pacote usa mais de ${limits.maxAliases} aliases YAML`), {
            pointer: "",
            line: node.range ? lines.linePos(node.range[0]).line : undefined,
          }),
        );
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
      packProblem(
        /resource exhaustion/.test(msg)
          ? text(`YAML aliases expand too much (more than ${limits.maxAliases} expansions)`, `os aliases YAML se expandem demais (mais de ${limits.maxAliases} expansões)`)
          : text(`the pack could not be read: ${msg}`, `não foi possível ler o pacote: ${msg}`),
        { pointer: "" },
      ),
    ]);
  }

  const reader = new PackReader(limits, opts.trusted === true);
  const def = reader.readPack(data, source);
  for (const p of reader.problems) {
    if (p.line === undefined && p.pointer !== undefined) p.line = lineOf(doc, lines, p.pointer);
  }
  if (reader.problems.length || !def) {
    if (reader.truncated) reader.problems.push(packProblem(text("more problems were found; fix these first", "há mais problemas; corrija estes primeiro"), { pointer: "" }));
    throw new PackError(reader.problems);
  }
  const setLine = (x: { pointer: string; line?: number }) => {
    const line = lineOf(doc, lines, x.pointer);
    if (line !== undefined) x.line = line;
  };
  def.rules.forEach(setLine);
  def.categories.forEach((c) => c.rules.forEach(setLine));
  def.overrides.forEach(setLine);
  if (opts.trusted === true) def.trusted = true;
  return def;
}

function unknownSeverity(s: string | undefined): Text {
  const use = SEVERITIES.join(", ");
  return text(`unknown severity "${s ?? ""}"; use one of ${use}`, `severidade "${s ?? ""}" desconhecida; use uma destas: ${use}`);
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

function formatBytes(n: number): Text {
  return n % 1024 === 0 ? text(`${n / 1024} KiB`, `${n / 1024} KiB`) : text(`${n} bytes`, `${n} bytes`);
}

class PackReader {
  readonly problems: PackProblem[] = [];
  truncated = false;
  private ruleBudget: number;

  constructor(
    private readonly limits: PackLimits,
    private readonly trusted: boolean,
  ) {
    this.ruleBudget = limits.maxRules;
  }

  private report(detail: Text, pointer: string, rule?: string): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.truncated = true;
      return;
    }
    this.problems.push(packProblem(detail, rule === undefined ? { pointer } : { pointer, rule }));
  }

  private unknownKey(key: string, where: Text, allowed: readonly string[], pointer: string, rule?: string): void {
    const dym = didYouMean(key, allowed);
    const list = allowed.join(", ");
    this.report(
      text(`unknown key "${key}" ${where.en}${dym.en}; allowed: ${list}`, `chave "${key}" desconhecida ${where["pt-BR"]}${dym["pt-BR"]}; permitidas: ${list}`),
      pointer,
      rule,
    );
  }

  private readText(raw: unknown, name: string, pointer: string, rule?: string): string | undefined {
    if (raw === undefined) return undefined;
    const s = readString(raw);
    if (s === undefined || s.length > MAX_TEXT) {
      this.report(text(`${name} must be text of at most ${MAX_TEXT} characters`, `${name} deve ser um texto de no máximo ${MAX_TEXT} caracteres`), pointer, rule);
      return undefined;
    }
    return s;
  }

  readPack(data: unknown, source: string): PackDefinition | undefined {
    if (!isPlainObject(data)) {
      this.report(text("a pack must be a mapping with id, name, version and rules", "um pacote deve ser um mapeamento com id, name, version e rules"), "");
      return undefined;
    }
    for (const k of Object.keys(data)) if (!PACK_KEYS.includes(k)) this.unknownKey(k, text("in the pack", "no pacote"), PACK_KEYS, `/${escapePointer(k)}`);

    const id = readString(data.id);
    if (id === undefined || !PACK_ID.test(id)) {
      this.report(
        id === undefined
          ? text("the pack needs an id", "o pacote precisa de um id")
          : text(
              `pack id "${id}" is invalid: use 2–63 lowercase letters, digits and hyphens, starting with a letter or digit`,
              `o id de pacote "${id}" é inválido: use de 2 a 63 letras minúsculas, dígitos e hífens, começando por letra ou dígito`,
            ),
        "/id",
      );
    }
    const name = readString(data.name);
    if (name === undefined || name.trim() === "" || name.length > 200) this.report(text("the pack needs a name (text of at most 200 characters)", "o pacote precisa de um name (texto de no máximo 200 caracteres)"), "/name");
    const version = readString(data.version);
    if (version === undefined || !VERSION.test(version)) {
      this.report(
        version === undefined
          ? text("the pack needs a version such as 1.0.0", "o pacote precisa de uma version, como 1.0.0")
          : text(`version "${version}" is invalid; use a version such as 1.0.0`, `a versão "${version}" é inválida; use uma versão como 1.0.0`),
        "/version",
      );
    }
    const description = this.readText(data.description, "description", "/description");
    let localeDefault: Locale | undefined;
    if (data.locale_default !== undefined) {
      const l = readString(data.locale_default);
      if (l === undefined || !(LOCALES as readonly string[]).includes(l)) this.report(text(`locale_default must be one of ${LOCALES.join(", ")}`, `locale_default deve ser um destes: ${LOCALES.join(", ")}`), "/locale_default");
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
      this.report(
        text(
          `the pack has ${total} rules; at most ${this.limits.maxRules} are allowed (category rules included)`,
          `o pacote tem ${total} regras; no máximo ${this.limits.maxRules} são permitidas (contando as das categorias)`,
        ),
        "/rules",
      );
      return undefined;
    }

    const seenIds = new Map<string, string>();
    const rules = this.readRules(rulesRaw, "/rules", seenIds);
    const categories: CategoryDef[] = [];
    if (categoriesRaw !== undefined) {
      if (!isPlainObject(categoriesRaw)) {
        this.report(text("categories must be a mapping of category id to { name, rules }", "categories deve ser um mapeamento de id de categoria para { name, rules }"), "/categories");
      }
      else {
        for (const [cid, c] of Object.entries(categoriesRaw)) {
          const cp = `/categories/${escapePointer(cid)}`;
          if (!CATEGORY_ID.test(cid)) {
            this.report(
              text(`category id "${cid}" is invalid: use up to 64 letters, digits, "_", "." and "-"`, `o id de categoria "${cid}" é inválido: use até 64 letras, dígitos, "_", "." e "-"`),
              cp,
            );
          }
          if (!isPlainObject(c)) {
            this.report(text("a category must be a mapping with name and rules", "uma categoria deve ser um mapeamento com name e rules"), cp);
            continue;
          }
          for (const k of Object.keys(c)) if (!CATEGORY_KEYS.includes(k)) this.unknownKey(k, text(`in category ${cid}`, `na categoria ${cid}`), CATEGORY_KEYS, `${cp}/${escapePointer(k)}`);
          const cname = c.name === undefined ? cid : this.readText(c.name, "category name", `${cp}/name`);
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
      if (s === undefined || !PACK_ID.test(s)) this.report(text("extends must be a pack id or a list of pack ids", "extends deve ser um id de pacote ou uma lista de ids"), p);
      else if (s === self) this.report(text("the pack cannot extend itself", "o pacote não pode estender a si mesmo"), p);
      else if (out.includes(s)) this.report(text(`pack "${s}" is listed twice in extends`, `o pacote "${s}" aparece duas vezes em extends`), p);
      else out.push(s);
    });
    return out;
  }

  private readRules(raw: unknown, pointer: string, seenIds: Map<string, string>): RuleDef[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
      this.report(text("rules must be a list", "rules deve ser uma lista"), pointer);
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
      this.report(text("a rule must be a mapping with id, field and check", "uma regra deve ser um mapeamento com id, field e check"), p);
      return undefined;
    }
    const before = this.problems.length;
    const id = readString(raw.id);
    const rid = id !== undefined && RULE_ID.test(id) ? id : undefined;
    const report: Report = (detail, pointer) => this.report(detail, pointer, rid);
    if (id === undefined) report(text("the rule needs an id such as ml.title.max_length", "a regra precisa de um id, como ml.title.max_length"), p);
    else if (!rid) {
      report(
        text(
          `rule id "${id}" is invalid: use lowercase letters, digits, "_", "." and "-" (at most 128)`,
          `o id de regra "${id}" é inválido: use letras minúsculas, dígitos, "_", "." e "-" (no máximo 128)`,
        ),
        `${p}/id`,
      );
    } else if (seenIds.has(rid)) report(text(`rule id "${rid}" is already used at ${seenIds.get(rid)}`, `o id de regra "${rid}" já é usado em ${seenIds.get(rid)}`), `${p}/id`);
    else seenIds.set(rid, p);

    const field = readString(raw.field);
    if (field === undefined || !isKnownField(field)) report(unknownFieldDetail(field), `${p}/field`);

    const checkName = readString(raw.check);
    const spec = checkName !== undefined && isCheckName(checkName) ? CHECKS[checkName] : undefined;
    const checks = CHECK_NAMES.join(", ");
    if (checkName === undefined) report(text(`the rule needs a check (one of ${checks})`, `a regra precisa de um check (um destes: ${checks})`), p);
    else if (!spec) {
      const dym = didYouMean(checkName, CHECK_NAMES);
      report(
        text(`unknown check "${checkName}"${dym.en}; known checks: ${checks}`, `check "${checkName}" desconhecido${dym["pt-BR"]}; checks conhecidos: ${checks}`),
        `${p}/check`,
      );
    }

    let severity: Severity = "error";
    if (raw.severity !== undefined) {
      const s = readString(raw.severity);
      if (s === undefined || !(SEVERITIES as readonly string[]).includes(s)) {
        report(unknownSeverity(s), `${p}/severity`);
      } else severity = s as Severity;
    }

    let each = false;
    if (raw.each !== undefined) {
      const b = readBool(raw.each);
      if (b === undefined) report(text("each must be true or false", "each deve ser true ou false"), `${p}/each`);
      else each = b;
    }
    if (each && field !== undefined && isKnownField(field) && !isListField(field)) {
      report(
        text(`each applies to list fields (images, attributes.*); ${field} is not a list`, `each vale para campos de lista (images, attributes.*); ${field} não é uma lista`),
        `${p}/each`,
      );
    }
    if (each && spec?.listValue) {
      report(text(`each cannot be used with ${checkName}, which counts the whole list`, `each não pode ser usado com ${checkName}, que conta a lista inteira`), `${p}/each`);
    }

    const when = raw.when === undefined ? undefined : parseCondition(raw.when, `${p}/when`, report, this.limits.maxPatternLength);
    const fixContext = { trusted: this.trusted, maxPatternLength: this.limits.maxPatternLength };
    const fix = raw.fix === undefined ? undefined : parseFixes(raw.fix, `${p}/fix`, report, fixContext);
    const source = this.readText(raw.source, "source", `${p}/source`, rid);
    const description = this.readText(raw.description, "description", `${p}/description`, rid);

    const params: Record<string, unknown> = {};
    if (spec) {
      const beforeParams = this.problems.length;
      const paramNames = Object.keys(spec.params);
      for (const [k, v] of Object.entries(raw)) {
        if (RULE_KEYS.includes(k)) continue;
        const ps = spec.params[k];
        const kp = `${p}/${escapePointer(k)}`;
        if (!ps) {
          const dym = didYouMean(k, [...paramNames, ...RULE_KEYS]);
          const takes = paramNames.join(", ");
          report(
            text(
              `unknown parameter "${k}" for check ${checkName}${dym.en}; ` + (paramNames.length ? `it takes ${takes}` : "it takes no parameters"),
              `parâmetro "${k}" desconhecido para o check ${checkName}${dym["pt-BR"]}; ` + (paramNames.length ? `ele aceita ${takes}` : "ele não tem parâmetros"),
            ),
            kp,
          );
          continue;
        }
        const value = readParam(k, ps, v, kp, report);
        if (value !== undefined) params[k] = value;
      }
      for (const [k, ps] of Object.entries(spec.params)) {
        if (ps.required && raw[k] === undefined) report(text(`check ${checkName} needs the parameter "${k}"`, `o check ${checkName} precisa do parâmetro "${k}"`), p);
      }
      if (this.problems.length === beforeParams) {
        spec.validate?.(params, (detail, param) => report(detail, param ? `${p}/${param}` : p), this.limits.maxPatternLength);
      }
      if (spec.fix === "required" && raw.fix === undefined) {
        report(text(`check ${checkName} needs a fix: it passes when the fix changes nothing`, `o check ${checkName} precisa de um fix: ele passa quando o fix não muda nada`), p);
      }
      if (spec.fix === "forbidden" && raw.fix !== undefined) report(text(`check ${checkName} cannot have a fix`, `o check ${checkName} não pode ter fix`), `${p}/fix`);
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
    report: Report,
  ): LocalizedText | undefined {
    const texts: [Locale, string, string][] = [];
    const single = readString(raw);
    if (single !== undefined) texts.push(["en", single, p]);
    else if (isPlainObject(raw)) {
      for (const [k, v] of Object.entries(raw)) {
        const kp = `${p}/${escapePointer(k)}`;
        if (!(LOCALES as readonly string[]).includes(k)) {
          const dym = didYouMean(k, LOCALES);
          const use = LOCALES.join(", ");
          report(text(`unknown message locale "${k}"${dym.en}; use ${use}`, `idioma de mensagem "${k}" desconhecido${dym["pt-BR"]}; use ${use}`), kp);
          continue;
        }
        const s = readString(v);
        if (s === undefined) report(text("a message must be text", "uma mensagem deve ser um texto"), kp);
        else texts.push([k as Locale, s, kp]);
      }
    } else {
      report(
        text('message must be text or a mapping of locale to text ({ en: "...", pt-BR: "..." })', 'message deve ser um texto ou um mapeamento de idioma para texto ({ en: "...", pt-BR: "..." })'),
        p,
      );
      return undefined;
    }
    const out: LocalizedText = {};
    for (const [locale, message, kp] of texts) {
      if (message.trim() === "" || message.length > MAX_TEXT) {
        report(text(`a message must be non-empty text of at most ${MAX_TEXT} characters`, `uma mensagem deve ser um texto não vazio de no máximo ${MAX_TEXT} caracteres`), kp);
        continue;
      }
      const t = parseTemplate(message);
      if (!t.template) {
        report(text(`message: ${t.error!.en}`, `message: ${t.error!["pt-BR"]}`), kp);
        continue;
      }
      if (allowed) {
        const bad = placeholdersOf(t.template).filter((name) => !allowed.includes(name));
        if (bad.length) {
          const available = [...new Set(allowed)].map((a) => `{${a}}`).join(" ");
          report(text(`unknown placeholder {${bad[0]}} in message; available: ${available}`, `marcador {${bad[0]}} desconhecido na mensagem; disponíveis: ${available}`), kp);
          continue;
        }
      }
      out[locale] = message;
    }
    return out;
  }

  private readOverrides(raw: unknown, hasParents: boolean): OverrideDef[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
      this.report(text("overrides must be a list of { id, severity } or { id, disabled: true }", "overrides deve ser uma lista de { id, severity } ou { id, disabled: true }"), "/overrides");
      return [];
    }
    if (!hasParents && raw.length > 0) {
      this.report(text("overrides change inherited rules, so they need extends", "overrides mudam regras herdadas, por isso exigem extends"), "/overrides");
    }
    const out: OverrideDef[] = [];
    raw.forEach((o, i) => {
      const p = `/overrides/${i}`;
      if (!isPlainObject(o)) {
        this.report(
          text("an override must be a mapping such as { id: common.images.url, severity: warning }", "um override deve ser um mapeamento como { id: common.images.url, severity: warning }"),
          p,
        );
        return;
      }
      const id = readString(o.id);
      const rid = id !== undefined && RULE_ID.test(id) ? id : undefined;
      if (!rid) this.report(text("an override needs the id of an inherited rule", "um override precisa do id de uma regra herdada"), `${p}/id`);
      for (const k of Object.keys(o)) if (!OVERRIDE_KEYS.includes(k)) this.unknownKey(k, text("in override", "no override"), OVERRIDE_KEYS, `${p}/${escapePointer(k)}`, rid);
      const def: OverrideDef = { id: rid ?? "", pointer: p };
      if (o.severity !== undefined) {
        const s = readString(o.severity);
        if (s === undefined || !(SEVERITIES as readonly string[]).includes(s)) {
          this.report(unknownSeverity(s), `${p}/severity`, rid);
        } else def.severity = s as Severity;
      }
      if (o.disabled !== undefined) {
        const b = readBool(o.disabled);
        if (b === undefined) this.report(text("disabled must be true or false", "disabled deve ser true ou false"), `${p}/disabled`, rid);
        else def.disabled = b;
      }
      if (o.severity === undefined && o.disabled === undefined) this.report(text("an override needs severity or disabled", "um override precisa de severity ou disabled"), p, rid);
      if (rid) out.push(def);
    });
    return out;
  }
}
