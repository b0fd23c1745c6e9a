import type { z } from "zod";
import type { FieldProblem } from "../core/errors";
import { text, type Text } from "../core/text";

type Issue = z.core.$ZodIssue;

/** Custom zod messages (`refine`) carry their Portuguese in `params.pt_br`. */
export function bilingualRefinement(message: Text) {
  return { message: message.en, params: { pt_br: message["pt-BR"] } };
}

const NOUNS_PT: Record<string, string> = {
  string: "texto",
  number: "número",
  int: "número inteiro",
  boolean: "verdadeiro ou falso",
  array: "lista",
  object: "objeto",
  set: "conjunto",
  file: "arquivo",
  date: "data",
  bigint: "número inteiro",
  null: "nulo",
  undefined: "ausente",
};

const FORMATS_PT: Record<string, string> = {
  email: "endereço de e-mail",
  url: "URL",
  uuid: "UUID",
  datetime: "data e hora ISO 8601",
  date: "data ISO 8601",
  regex: "formato",
};

function list(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** zod's English message, and a Brazilian Portuguese one written from the same issue. */
function portuguese(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type": {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      const expected = NOUNS_PT[issue.expected] ?? issue.expected;
      return received ? `Valor inválido: esperado ${expected}, recebido ${NOUNS_PT[received] ?? received}` : `Valor inválido: esperado ${expected}`;
    }
    case "too_big": {
      const bound = `${issue.inclusive === false ? "menos de" : "no máximo"} ${issue.maximum}`;
      if (issue.origin === "string") return `Texto longo demais: ${bound} caracteres`;
      if (issue.origin === "array" || issue.origin === "set") return `Itens demais: ${bound}`;
      return `Valor grande demais: deve ser ${issue.inclusive === false ? "menor que" : "no máximo"} ${issue.maximum}`;
    }
    case "too_small": {
      const bound = `${issue.inclusive === false ? "mais de" : "no mínimo"} ${issue.minimum}`;
      if (issue.origin === "string") return `Texto curto demais: ${bound} caractere${Number(issue.minimum) === 1 ? "" : "s"}`;
      if (issue.origin === "array" || issue.origin === "set") return `Itens de menos: ${bound}`;
      return `Valor pequeno demais: deve ser ${issue.inclusive === false ? "maior que" : "no mínimo"} ${issue.minimum}`;
    }
    case "invalid_format":
      return `Formato inválido: ${FORMATS_PT[issue.format] ?? issue.format}`;
    case "not_multiple_of":
      return `Valor inválido: deve ser múltiplo de ${issue.divisor}`;
    case "unrecognized_keys":
      return issue.keys.length === 1 ? `Campo não reconhecido: ${list(issue.keys)}` : `Campos não reconhecidos: ${list(issue.keys)}`;
    case "invalid_value":
      return issue.values.length === 1 ? `Valor inválido: esperado ${list(issue.values)}` : `Opção inválida: use uma destas: ${list(issue.values)}`;
    case "invalid_union":
      return "Valor inválido: não corresponde a nenhuma das formas aceitas";
    case "invalid_key":
      return "Chave inválida";
    case "invalid_element":
      return "Item inválido";
    case "custom": {
      const pt = (issue.params as { pt_br?: unknown } | undefined)?.pt_br;
      return typeof pt === "string" ? pt : issue.message;
    }
    default:
      return (issue as { message: string }).message;
  }
}

function pointer(path: readonly PropertyKey[]): string {
  return "/" + path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

/**
 * A request-validation issue located in the request: chanfana validates `{ params, query, headers,
 * body }` at once, so the first path segment says where the field lives.
 */
export function requestFieldProblem(issue: Issue): FieldProblem {
  const detail = text(issue.message, portuguese(issue));
  const [location, ...rest] = issue.path;
  if (location === "body") return { detail, pointer: pointer(rest) };
  if (location === "query" || location === "params" || location === "headers") return { detail, parameter: rest.map(String).join(".") };
  return { detail };
}

/** An issue of a body validated on its own (not through chanfana): the path starts inside the body. */
export function bodyFieldProblem(issue: Issue): FieldProblem {
  return requestFieldProblem({ ...issue, path: ["body", ...issue.path] } as Issue);
}
