/**
 * Deterministic generator of realistic Brazilian catalog records for the rule-engine benchmark.
 *
 * About 85% of the records pass the `mercadolivre` pack (general rules, no category); the rest
 * carry the mistakes sellers actually make: titles over 60 characters, GTINs with a wrong check
 * digit, prices with a decimal comma, a missing BRAND attribute, too many pictures, and the odd
 * duplicated SKU. Some valid records carry warnings (zero stock, an http picture).
 *
 * Absent values are left out of the record (never blank strings), as a JSON API client sends them,
 * and the records are returned as if parsed from JSON.
 */

/** mulberry32: small, fast, good enough for test data; same seed → same records. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Template {
  product: string;
  brand: string;
  model: string;
  line?: string;
  specs: string[];
  colors: string[];
  price: [number, number];
  weight: number;
  ncm: string;
  category: string;
}

const TEMPLATES: Template[] = [
  { product: "Smartphone", brand: "Samsung", model: "Galaxy A15", line: "Galaxy A", specs: ["128GB", "4GB RAM"], colors: ["Azul-escuro", "Preto", "Verde-claro"], price: [899, 1199], weight: 200, ncm: "85171300", category: "MLB1055" },
  { product: "Smartphone", brand: "Samsung", model: "Galaxy A35 5G", line: "Galaxy A", specs: ["256GB", "8GB RAM"], colors: ["Azul", "Lilás", "Preto"], price: [1799, 2299], weight: 209, ncm: "85171300", category: "MLB1055" },
  { product: "Smartphone", brand: "Motorola", model: "Moto G54 5G", line: "Moto G", specs: ["256GB", "8GB RAM"], colors: ["Azul", "Grafite", "Verde"], price: [999, 1499], weight: 177, ncm: "85171300", category: "MLB1055" },
  { product: "Smartphone", brand: "Xiaomi", model: "Redmi Note 13", line: "Redmi Note", specs: ["256GB", "8GB RAM"], colors: ["Preto", "Azul", "Verde"], price: [1199, 1699], weight: 188, ncm: "85171300", category: "MLB1055" },
  { product: "iPhone", brand: "Apple", model: "iPhone 15", line: "iPhone", specs: ["128GB"], colors: ["Preto", "Azul", "Rosa"], price: [4999, 6499], weight: 171, ncm: "85171300", category: "MLB1055" },
  { product: "Notebook", brand: "Lenovo", model: "IdeaPad Slim 3", line: "IdeaPad", specs: ["i5-12450H", "8GB", "512GB SSD"], colors: ["Cinza"], price: [2899, 3699], weight: 1620, ncm: "84713012", category: "MLB1652" },
  { product: "Notebook", brand: "Dell", model: "Inspiron 15 3520", line: "Inspiron", specs: ["i7-1255U", "16GB", "512GB SSD"], colors: ["Preto"], price: [3999, 4999], weight: 1900, ncm: "84713012", category: "MLB1652" },
  { product: "Notebook", brand: "Acer", model: "Aspire 5 A515", line: "Aspire", specs: ["Ryzen 7", "8GB", "256GB SSD"], colors: ["Prata"], price: [2999, 3799], weight: 1760, ncm: "84713012", category: "MLB1652" },
  { product: "Tênis", brand: "Nike", model: "Revolution 7", specs: ["Masculino"], colors: ["Preto", "Branco", "Cinza"], price: [299.99, 399.99], weight: 850, ncm: "64041100", category: "MLB23332" },
  { product: "Tênis", brand: "Adidas", model: "Runfalcon 3.0", specs: ["Feminino"], colors: ["Rosa", "Preto", "Branco"], price: [249.99, 349.99], weight: 780, ncm: "64041100", category: "MLB23332" },
  { product: "Tênis", brand: "Olympikus", model: "Corre 3", specs: ["Unissex"], colors: ["Azul", "Laranja"], price: [349.9, 499.9], weight: 700, ncm: "64041100", category: "MLB23332" },
  { product: "Chaleira Elétrica", brand: "Mondial", model: "CE-17", specs: ["1,7L", "127V"], colors: ["Inox", "Preta"], price: [79.9, 129.9], weight: 900, ncm: "85161000", category: "MLB1580" },
  { product: "Fritadeira Air Fryer", brand: "Philco", model: "PFR15PI", specs: ["4L", "220V"], colors: ["Preta"], price: [299.9, 449.9], weight: 3800, ncm: "85167200", category: "MLB1580" },
  { product: "Liquidificador", brand: "Britânia", model: "BLQ1000", specs: ["1000W", "3L"], colors: ["Preto", "Vermelho"], price: [129.9, 199.9], weight: 2100, ncm: "85094020", category: "MLB1580" },
  { product: "Bola de Futebol", brand: "Penalty", model: "S11 Ecoknit", specs: ["Campo"], colors: ["Branca", "Amarela"], price: [89.9, 159.9], weight: 450, ncm: "95066200", category: "MLB1276" },
];

const LONG_TAIL = [
  "Lançamento 2024", "Original Com Nota Fiscal", "Envio Imediato", "Garantia 12 Meses", "Pronta Entrega", "Lacrado",
  "Com Capa e Película", "Modelo Novo", "Alta Performance",
];

function gtinCheckDigit(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return String((10 - (sum % 10)) % 10);
}

export type ErrorKind = "long_title" | "bad_gtin" | "decimal_comma_price" | "missing_brand" | "too_many_images" | "duplicate_sku";

export interface GeneratedSet {
  records: Record<string, unknown>[];
  /** How many records carry each injected error. */
  injected: Record<ErrorKind, number>;
}

const ERROR_KINDS: ErrorKind[] = ["long_title", "bad_gtin", "decimal_comma_price", "missing_brand", "too_many_images"];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

function priceBetween(rand: () => number, [lo, hi]: [number, number]): number {
  return Math.round((lo + rand() * (hi - lo)) * 100) / 100;
}

/** Brazilian display form with thousands dot and decimal comma: 1299.9 → "1.299,90". */
export function brl(n: number): string {
  const [int, dec] = n.toFixed(2).split(".");
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ".") + "," + dec;
}

export function generateRecords(count: number, seed = 20241129): GeneratedSet {
  const rand = prng(seed);
  const injected: Record<ErrorKind, number> = {
    long_title: 0, bad_gtin: 0, decimal_comma_price: 0, missing_brand: 0, too_many_images: 0, duplicate_sku: 0,
  };
  const records: Record<string, unknown>[] = new Array(count);
  for (let n = 0; n < count; n++) {
    const t = pick(rand, TEMPLATES);
    const color = pick(rand, t.colors);
    const sku = `${t.brand.slice(0, 3).toUpperCase()}-${t.model.replace(/[^A-Za-z0-9]/g, "").slice(0, 8).toUpperCase()}-${(100000 + n).toString(36).toUpperCase()}`;
    const title = `${t.product} ${t.brand} ${t.model} ${t.specs.join(" ")} ${color}`.slice(0, 60).trim();
    const price = priceBetween(rand, t.price);
    const imageCount = 1 + Math.floor(rand() * 8);
    const imgId = 600000 + n;
    const images: string[] = [];
    for (let i = 0; i < imageCount; i++) images.push(`https://http2.mlstatic.com/D_NQ_NP_2X_${imgId}-MLB${74200000000 + n * 10 + i}_012024-F.webp`);
    const record: Record<string, unknown> = {
      sku,
      title,
      description:
        `${t.product} ${t.brand} ${t.model} na cor ${color.toLowerCase()}. ${t.specs.join(", ")}.\n` +
        "Produto novo, original, com nota fiscal e garantia do fabricante. Enviamos em até 24 horas úteis após a confirmação do pagamento.",
      price,
      currency: "BRL",
      stock: Math.floor(rand() * 80) + 1,
      brand: t.brand,
      model: t.model,
      condition: rand() < 0.93 ? "new" : "used",
      category_id: t.category,
      images,
      attributes: { BRAND: t.brand, MODEL: t.model, COLOR: color, ...(t.line ? { LINE: t.line } : {}) },
      weight_g: t.weight,
      ncm: t.ncm,
      url: `https://www.lojadoze.com.br/p/${sku.toLowerCase()}`,
    };
    if (rand() < 0.8) {
      const body = "789" + String(Math.floor(rand() * 1e9)).padStart(9, "0");
      record.gtin = body + gtinCheckDigit(body);
    }
    if (rand() < 0.3) record.sale_price = Math.round(price * (0.8 + rand() * 0.15) * 100) / 100;
    // Warnings that keep the record valid.
    if (rand() < 0.02) record.stock = 0;
    if (rand() < 0.02) images[0] = images[0].replace("https://", "http://");

    // ~15% of records get one error, a few of them two.
    if (rand() < 0.15) {
      const kinds = rand() < 0.1 ? [pick(rand, ERROR_KINDS), pick(rand, ERROR_KINDS)] : [pick(rand, ERROR_KINDS)];
      for (const kind of kinds) {
        switch (kind) {
          case "long_title":
            record.title = `${title} ${pick(rand, LONG_TAIL)} ${pick(rand, LONG_TAIL)} ${pick(rand, LONG_TAIL)}`;
            break;
          case "bad_gtin": {
            const body = "789" + String(Math.floor(rand() * 1e9)).padStart(9, "0");
            record.gtin = body + String((Number(gtinCheckDigit(body)) + 1 + Math.floor(rand() * 8)) % 10);
            break;
          }
          case "decimal_comma_price":
            record.price = brl(price);
            delete record.sale_price;
            break;
          case "missing_brand":
            delete (record.attributes as Record<string, unknown>).BRAND;
            break;
          case "too_many_images":
            while (images.length < 13 + (n % 3)) images.push(`https://http2.mlstatic.com/D_NQ_NP_2X_${imgId}-MLB${74200000000 + n * 10 + images.length}_012024-F.webp`);
            break;
        }
        injected[kind]++;
      }
    }
    if (n > 100 && rand() < 0.003) {
      record.sku = String(records[n - 1 - Math.floor(rand() * 100)].sku).toLowerCase();
      injected.duplicate_sku++;
    }
    records[n] = record;
  }
  // Round-trip through JSON so every string is flat, as in records parsed from a request body
  // (built-up strings are V8 cons strings, slower to scan character by character).
  return { records: JSON.parse(JSON.stringify(records)) as Record<string, unknown>[], injected };
}

const CSV_COLUMNS = [
  "sku", "title", "description", "price", "sale_price", "currency", "stock", "gtin", "brand", "model", "condition",
  "category_id", "images", "attributes.BRAND", "attributes.MODEL", "attributes.COLOR", "attributes.LINE", "weight_g", "ncm", "url",
] as const;

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return "";
  const s = String(v);
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The same records as a Brazilian Excel export: `;` separator, decimal commas for prices and
 * weights, images in one cell separated by `|`, CRLF line ends, quoted multi-line descriptions.
 */
export function toCsv(records: readonly Record<string, unknown>[]): string {
  const lines: string[] = [CSV_COLUMNS.join(";")];
  for (const r of records) {
    const attrs = (r.attributes ?? {}) as Record<string, unknown>;
    const cells = CSV_COLUMNS.map((c) => {
      if (c.startsWith("attributes.")) return csvCell(attrs[c.slice(11)]);
      const v = r[c];
      if (c === "images") return csvCell((v as string[]).join("|"));
      if ((c === "price" || c === "sale_price" || c === "weight_g") && typeof v === "number") return csvCell(v.toFixed(2).replace(".", ","));
      return csvCell(v);
    });
    lines.push(cells.join(";"));
  }
  return lines.join("\r\n") + "\r\n";
}

const DECIMAL_COMMA = /^\d+,\d+$/;

/** "1099,90" → "1099.90", the conversion the mapping layer applies to a decimal-comma file. */
function dotDecimal(v: string | undefined): string | undefined {
  if (v === undefined || v === "") return undefined;
  return v.indexOf(",") >= 0 && DECIMAL_COMMA.test(v) ? v.replace(",", ".") : v;
}

/**
 * Compiles the column → field plan for one header, as the mapping layer does once per file, and
 * returns a row mapper producing records of one fixed shape: empty cells are absent, the images
 * cell is split on `|`, plain decimal commas in numeric columns become dots (thousands-grouped
 * values such as "1.299,90" are left for the rules to report and fix).
 */
export function compileRowMapper(header: readonly string[]): (values: readonly string[]) => Record<string, unknown> {
  const at = (name: string) => header.indexOf(name);
  const [sku, title, description, price, salePrice, currency, stock, gtin, brand, model, condition, categoryId, images] = [
    "sku", "title", "description", "price", "sale_price", "currency", "stock", "gtin", "brand", "model", "condition", "category_id", "images",
  ].map(at);
  const [aBrand, aModel, aColor, aLine, weight, ncm, url] = ["attributes.BRAND", "attributes.MODEL", "attributes.COLOR", "attributes.LINE", "weight_g", "ncm", "url"].map(at);
  const text = (values: readonly string[], i: number) => (i < 0 || values[i] === "" ? undefined : values[i]);
  return (v) => {
    const img = text(v, images);
    return {
      sku: text(v, sku),
      title: text(v, title),
      description: text(v, description),
      price: dotDecimal(text(v, price)),
      sale_price: dotDecimal(text(v, salePrice)),
      currency: text(v, currency),
      stock: dotDecimal(text(v, stock)),
      gtin: text(v, gtin),
      brand: text(v, brand),
      model: text(v, model),
      condition: text(v, condition),
      category_id: text(v, categoryId),
      images: img === undefined ? undefined : img.split("|"),
      attributes: { BRAND: text(v, aBrand), MODEL: text(v, aModel), COLOR: text(v, aColor), LINE: text(v, aLine) },
      weight_g: dotDecimal(text(v, weight)),
      ncm: text(v, ncm),
      url: text(v, url),
    };
  };
}
