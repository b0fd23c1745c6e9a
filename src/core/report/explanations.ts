import type { RuleInfo } from "../rules";
import { boundsText, compileTemplate, formatNumber, joinOr, OP_LABELS, placeholdersOf, render as renderTemplate, TYPE_LABELS } from "../rules/messages";
import { displayValue } from "../rules/values";
import { LOCALES, type Locale, text, type Text, verbatim } from "../text";

/**
 * What a rule means for the whole catalog, in a sentence a seller understands: the rule's own
 * message when it names nothing record-specific (`{value}`, `{length}`…), else the rule's
 * description, else a sentence made from its check and parameters. Issues a rule pack does not
 * define (`mapping.*`, `file.*`) get their own sentence.
 */
export function explainRule(rule: string, info: RuleInfo | undefined, field: string | null): Text {
  if (info !== undefined) return ownMessage(info) ?? (info.description ? verbatim(info.description) : checkSentence(info));
  if (rule.startsWith("file.")) return FILE_SENTENCES[rule.slice("file.".length)] ?? FILE_FALLBACK;
  if (rule.startsWith("mapping.")) return mappingSentence(rule, field);
  return text(`Records fail the rule ${rule}.`, `Registros não passam na regra ${rule}.`);
}

/** The values of placeholders that hold for every record of a rule: its field, id and parameters. */
function staticValue(info: RuleInfo, name: string, locale: Locale): string | undefined {
  const p = info.params;
  switch (name) {
    case "field":
      return info.field;
    case "rule":
      return info.id;
    // Labels the checks derive from their parameters (see each check's `vars` in rules/checks.ts).
    case "type_label":
      return info.check === "type" ? TYPE_LABELS[p.type as string]?.[locale] : undefined;
    case "bounds":
      return info.check === "range" || info.check === "count" ? boundsText(p, locale, info.check) : undefined;
    case "schemes":
      return info.check === "url" ? schemes(info, locale) : undefined;
    case "op_label":
      return info.check === "compare" ? OP_LABELS[p.op as string]?.[locale] : undefined;
  }
  if (!Object.hasOwn(p, name)) return undefined;
  const v = p[name];
  if (typeof v === "number") return formatNumber(v, locale);
  if (Array.isArray(v)) return joinOr(v.map((x) => displayValue(x)), locale);
  return displayValue(v);
}

function schemes(info: RuleInfo, locale: Locale): string {
  const list = (info.params.schemes as string[] | undefined) ?? ["http", "https"];
  return joinOr(list.map((s) => `${s.toLowerCase()}://`), locale);
}

/** The rule's message with every placeholder filled, or undefined when one depends on the record. */
function ownMessage(info: RuleInfo): Text | undefined {
  const en = info.message?.en;
  const pt = info.message?.["pt-BR"] ?? en;
  if (en === undefined || pt === undefined) return undefined;
  const out: Partial<Record<Locale, string>> = {};
  for (const locale of LOCALES) {
    const template = compileTemplate(locale === "en" ? en : pt);
    if (placeholdersOf(template).some((name) => staticValue(info, name, locale) === undefined)) return undefined;
    out[locale] = renderTemplate(template, (name) => staticValue(info, name, locale));
  }
  return text(out.en!, out["pt-BR"]!);
}

/** "The title field" / "O campo title"; marketplace attributes are named as such, list items as items. */
function subject(field: string, each: boolean): Text {
  if (each) return text(`An item of the ${field} field`, `Um item do campo ${field}`);
  if (field.startsWith("attributes.")) {
    const key = field.slice("attributes.".length);
    return text(`The ${key} attribute`, `O atributo ${key}`);
  }
  return text(`The ${field} field`, `O campo ${field}`);
}

function both(make: (locale: Locale) => string): Text {
  return text(make("en"), make("pt-BR"));
}

const MAX_LISTED = 8;

function listed(values: unknown, locale: Locale): string {
  const all = Array.isArray(values) ? values.map((v) => displayValue(v)) : [];
  const shown = all.slice(0, MAX_LISTED);
  return all.length > MAX_LISTED ? `${shown.join(", ")}…` : joinOr(shown, locale);
}

/** A sentence from the check and its parameters: what every record the rule flags has in common. */
function checkSentence(info: RuleInfo): Text {
  const s = subject(info.field, info.each);
  const p = info.params;
  const v = (name: string, locale: Locale) => staticValue(info, name, locale) ?? "";
  switch (info.check) {
    case "required":
      return text(`${s.en} is missing.`, `${s["pt-BR"]} está vazio.`);
    case "type":
      return both((l) => (l === "en" ? `${s.en} is not ${v("type_label", l)}.` : `${s["pt-BR"]} não é ${v("type_label", l)}.`));
    case "min_length":
      return both((l) => (l === "en" ? `${s.en} is shorter than ${v("min", l)} characters.` : `${s["pt-BR"]} tem menos de ${v("min", l)} caracteres.`));
    case "max_length":
      return both((l) => (l === "en" ? `${s.en} is longer than ${v("max", l)} characters.` : `${s["pt-BR"]} passa de ${v("max", l)} caracteres.`));
    case "pattern":
      return text(`${s.en} is not in the expected format.`, `${s["pt-BR"]} não está no formato esperado.`);
    case "one_of":
      return both((l) =>
        l === "en" ? `${s.en} holds a value that is not accepted; use ${listed(p.values, l)}.` : `${s["pt-BR"]} tem um valor que não é aceito; use ${listed(p.values, l)}.`,
      );
    case "range":
      return both((l) => (l === "en" ? `${s.en} must be ${v("bounds", l)}.` : `${s["pt-BR"]} deve ser ${v("bounds", l)}.`));
    case "gtin":
      return text(
        `${s.en} is not a valid GTIN (EAN/UPC): it needs 8, 12, 13 or 14 digits with a correct check digit.`,
        `${s["pt-BR"]} não é um GTIN (EAN/UPC) válido: ele precisa ter 8, 12, 13 ou 14 dígitos com o dígito verificador correto.`,
      );
    case "gtin_prefix":
      return text(
        `${s.en} uses a GS1 prefix reserved for in-store (restricted circulation) codes or coupons, not for products sold elsewhere.`,
        `${s["pt-BR"]} usa um prefixo GS1 reservado a códigos internos de loja (circulação restrita) ou cupons, não a produtos vendidos fora dela.`,
      );
    case "url":
      return both((l) =>
        l === "en" ? `${s.en} is not a full URL starting with ${v("schemes", l)}.` : `${s["pt-BR"]} não é uma URL completa começando com ${v("schemes", l)}.`,
      );
    case "count":
      return both((l) => (l === "en" ? `${s.en} must have ${v("bounds", l)} items.` : `${s["pt-BR"]} deve ter ${v("bounds", l)} itens.`));
    case "unique":
      return text(`${s.en} repeats a value another record already has.`, `${s["pt-BR"]} repete um valor que outro registro já tem.`);
    case "compare":
      return both((l) =>
        l === "en" ? `${s.en} must be ${v("op_label", l)} the ${p.other} field.` : `${s["pt-BR"]} deve ser ${v("op_label", l)} campo ${p.other}.`,
      );
    case "forbidden_words":
      return both((l) => (l === "en" ? `${s.en} contains words that are not allowed (${listed(p.words, l)}).` : `${s["pt-BR"]} tem palavras não permitidas (${listed(p.words, l)}).`));
    case "plain_text":
      return text(`${s.en} must be plain text, without HTML tags or entities.`, `${s["pt-BR"]} deve ser texto simples, sem tags ou entidades HTML.`);
    case "normalized":
      return text(`${s.en} is not written in the standard form.`, `${s["pt-BR"]} não está padronizado.`);
  }
}

/** Reader problems (see core/jobs/row-problems.ts): the row as a whole could not be read. */
const FILE_SENTENCES: Record<string, Text> = {
  ragged_row: text("Rows have a different number of values than the header has columns.", "Linhas têm um número de valores diferente do número de colunas do cabeçalho."),
  unterminated_quote: text("A quoted value is never closed, so the rest of the file was read as one value.", "Um valor entre aspas nunca é fechado, então o resto do arquivo foi lido como um só valor."),
  field_too_large: text("A cell is too long to be read.", "Uma célula é longa demais para ser lida."),
  record_too_large: text("A row is too long to be read.", "Uma linha é longa demais para ser lida."),
  too_many_columns: text("Rows have more columns than are read.", "Linhas têm mais colunas do que as que são lidas."),
  invalid_json: text("Records are not valid JSON.", "Registros não são JSON válido."),
  not_an_object: text("Records are not JSON objects.", "Registros não são objetos JSON."),
};
const FILE_FALLBACK = text("Rows could not be read.", "Linhas não puderam ser lidas.");

/** Values the mapping could not convert (see the operations' failures in core/ops). */
function mappingSentence(rule: string, field: string | null): Text {
  const where = field ? text(` in the ${field} field`, ` do campo ${field}`) : text("", "");
  const say = (en: string, pt: string) => text(en.replace("{where}", where.en), pt.replace("{where}", where["pt-BR"]));
  switch (rule) {
    case "mapping.number.invalid":
      return say("Values{where} are not numbers.", "Valores{where} não são números.");
    case "mapping.date.invalid":
      return say("Values{where} are not dates.", "Valores{where} não são datas.");
    case "mapping.unit.invalid":
      return say("Values{where} are not measures in the expected unit.", "Valores{where} não são medidas na unidade esperada.");
    case "mapping.value_map.unmatched":
      return say("Values{where} are not among the values the mapping translates.", "Valores{where} não estão entre os valores que o mapeamento traduz.");
    default:
      return say("Values{where} could not be converted by the mapping.", "Valores{where} não puderam ser convertidos pelo mapeamento.");
  }
}
