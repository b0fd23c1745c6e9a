import { parseArgs } from "node:util";
import { VitrineError } from "../../src/core/errors";
import { LOCALES, type Locale, render, text } from "../../src/core/text";

/** What the command was asked to do. */
export interface CliOptions {
  file: string;
  pack?: string;
  category?: string;
  mapping?: string;
  suggest: boolean;
  fix: boolean;
  out?: string;
  locale: Locale;
  help: boolean;
}

/** Exit codes, as docs/cli.md lists them. */
export const EXIT = {
  /** Every record is valid (after fixes, with --fix). */
  valid: 0,
  /** Some records are invalid. */
  invalid: 1,
  /** The command or its input cannot be used: an unknown option, file, pack, category or mapping; columns nobody mapped. */
  usage: 2,
  /** Anything else: a bug. */
  failure: 3,
} as const;

/** A problem with what the command was given: exit code 2, with a message saying what to do. */
export function usageError(en: string, pt: string): VitrineError {
  return new VitrineError("invalid_request", text(en, pt));
}

/** --lang, else the terminal's language (LC_ALL, LC_MESSAGES, LANG: "pt_BR.UTF-8" is pt-BR), else English. */
export function localeFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  const i = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const asked = i < 0 ? undefined : argv[i].includes("=") ? argv[i].slice("--lang=".length) : argv[i + 1];
  if (asked !== undefined && (LOCALES as readonly string[]).includes(asked)) return asked as Locale;
  const system = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return system.toLowerCase().startsWith("pt") ? "pt-BR" : "en";
}

/** Reads the command line; a usage problem is thrown as a VitrineError in both languages. */
export function readArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const locale = localeFrom(argv, env);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        pack: { type: "string" },
        category: { type: "string" },
        mapping: { type: "string" },
        suggest: { type: "boolean", default: false },
        fix: { type: "boolean", default: false },
        out: { type: "string" },
        lang: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw usageError(`${why}. See --help.`, `${why}. Veja --help.`);
  }
  const { values: v, positionals } = parsed;
  const options: CliOptions = { file: positionals[0] ?? "", suggest: v.suggest, fix: v.fix, locale, help: v.help };
  if (v.help) return options;
  if (v.lang !== undefined && !(LOCALES as readonly string[]).includes(v.lang)) {
    throw usageError(`--lang takes en or pt-BR, not "${v.lang}".`, `--lang aceita en ou pt-BR, não "${v.lang}".`);
  }
  if (positionals.length === 0) throw usageError("Name the file to validate. See --help.", "Informe o arquivo a validar. Veja --help.");
  if (positionals.length > 1) {
    throw usageError(
      `One file at a time; got ${positionals.length} (${positionals.join(", ")}). --fix takes no file name: the corrected file goes next to yours, or to --out DIR.`,
      `Um arquivo por vez; vieram ${positionals.length} (${positionals.join(", ")}). O --fix não recebe nome de arquivo: o corrigido vai ao lado do seu, ou para --out PASTA.`,
    );
  }
  if (v.mapping !== undefined && v.suggest) {
    throw usageError(
      "Use --mapping (your mapping) or --suggest (a suggested one), not both.",
      "Use --mapping (o seu mapeamento) ou --suggest (um sugerido), não os dois.",
    );
  }
  return { ...options, pack: v.pack, category: v.category, mapping: v.mapping, out: v.out };
}

const USAGE = text(
  `Validates a catalog file on this machine with the rules, mappings and fixes of the Vitrine API.

Usage:
  npm run validate -- <file> [--pack P] [--category C] [--mapping mapping.json | --suggest]
                             [--fix] [--out DIR] [--lang pt-BR|en] [--help]

  <file>                  CSV (any delimiter, UTF-8, Windows-1252 or UTF-16), XLSX, JSON or NDJSON.
  --pack P                Rule pack: mercadolivre, shopee, google-merchant, common, or the path of
                          your own YAML/JSON pack. Defaults to the --mapping file's marketplace.
  --category C            Also check the pack's rules for a category, e.g. MLB1055.
  --mapping mapping.json  How your columns become product fields (the format of POST /api/v1/mappings,
                          or a file saved by --suggest).
  --suggest               Suggest a mapping from the header and the first rows, print it, save it
                          and use it. Without --mapping or --suggest, columns must be named after
                          product fields (sku, title, price…) or follow a known layout (Bling, Tiny…).
  --fix                   Apply the pack's fixes and write the corrected file.
  --out DIR               Folder for the files written (default: the file's own folder).
  --lang pt-BR|en         Language of messages (default: from LANG, else en).
  -h, --help              This help.

Files written next to the file, or in DIR:
  <name>.corrigido.<ext>  (--fix) the corrected catalog in the file's own format: same encoding,
                          delimiter, line endings and quoting; only fixed cells change. A workbook
                          stays the same workbook with only the fixed cells rewritten.
  <name>.problemas.csv    (--fix or --out) every issue, one per row, with the row your spreadsheet
                          shows, in your file's delimiter (UTF-8 with BOM, CRLF);
                          <name>.problemas.xlsx for a workbook.
  <name>.mapeamento.json  (--suggest) the suggested mapping, ready for --mapping.

Exit codes:
  0  every record is valid (after fixes, with --fix)
  1  some records are invalid
  2  the command or its input cannot be used (unknown option, file, pack or category; a mapping
     that does not fit the file; columns that need a mapping)
  3  unexpected failure

Examples:
  npm run validate -- planilha.csv --pack mercadolivre --category MLB1055 --suggest --fix
  npm run validate -- catalogo.xlsx --mapping planilha.mapeamento.json --fix --out resultados
  npm run validate -- produtos.csv --pack ./minha-loja.yaml --lang en`,
  `Valida um arquivo de catálogo nesta máquina com as regras, mapeamentos e correções da API Vitrine.

Uso:
  npm run validate -- <arquivo> [--pack P] [--category C] [--mapping mapeamento.json | --suggest]
                                [--fix] [--out PASTA] [--lang pt-BR|en] [--help]

  <arquivo>               CSV (qualquer separador, UTF-8, Windows-1252 ou UTF-16), XLSX, JSON ou NDJSON.
  --pack P                Pacote de regras: mercadolivre, shopee, google-merchant, common, ou o caminho
                          do seu pacote YAML/JSON. O padrão é o marketplace do arquivo de --mapping.
  --category C            Confere também as regras da categoria no pacote, por exemplo MLB1055.
  --mapping mapeamento.json  Como as suas colunas viram campos do produto (o formato de
                          POST /api/v1/mappings, ou um arquivo salvo pelo --suggest).
  --suggest               Sugere um mapeamento a partir do cabeçalho e das primeiras linhas, mostra,
                          salva e usa. Sem --mapping nem --suggest, as colunas precisam ter nomes de
                          campos (sku, title, price…) ou seguir um modelo conhecido (Bling, Tiny…).
  --fix                   Aplica as correções do pacote e grava o arquivo corrigido.
  --out PASTA             Pasta dos arquivos gravados (padrão: a pasta do próprio arquivo).
  --lang pt-BR|en         Idioma das mensagens (padrão: o do LANG, senão en).
  -h, --help              Esta ajuda.

Arquivos gravados ao lado do arquivo, ou na PASTA:
  <nome>.corrigido.<ext>  (--fix) o catálogo corrigido no formato do próprio arquivo: mesma
                          codificação, separador, quebras de linha e aspas; só as células corrigidas
                          mudam. Uma pasta de trabalho continua a mesma, só com as células corrigidas
                          regravadas.
  <nome>.problemas.csv    (--fix ou --out) todos os problemas, um por linha, com a linha que a sua
                          planilha mostra, no separador do seu arquivo (UTF-8 com BOM, CRLF);
                          <nome>.problemas.xlsx para uma pasta de trabalho.
  <nome>.mapeamento.json  (--suggest) o mapeamento sugerido, pronto para o --mapping.

Códigos de saída:
  0  todos os registros estão válidos (depois das correções, com --fix)
  1  há registros inválidos
  2  o comando ou a entrada não podem ser usados (opção, arquivo, pacote ou categoria desconhecidos;
     um mapeamento que não serve para o arquivo; colunas que precisam de mapeamento)
  3  falha inesperada

Exemplos:
  npm run validate -- planilha.csv --pack mercadolivre --category MLB1055 --suggest --fix
  npm run validate -- catalogo.xlsx --mapping planilha.mapeamento.json --fix --out resultados
  npm run validate -- produtos.csv --pack ./minha-loja.yaml --lang en`,
);

export function usageText(locale: Locale): string {
  return render(USAGE, locale);
}
