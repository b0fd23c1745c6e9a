/**
 * What Vitrine knows about each canonical field (and the marketplace attributes the built-in packs
 * use): its type, a label, an example value, and the column names sellers give it in Portuguese
 * and English. Templates and the suggester read it; what is *required* always comes from the packs.
 */

export type FieldType = "string" | "decimal" | "integer" | "url" | "list" | "date" | "boolean";

export interface FieldInfo {
  field: string;
  type: FieldType;
  /** Type of list items (images: url). */
  items?: FieldType;
  label: { en: string; "pt-BR": string };
  example: unknown;
  synonyms: { en: string[]; "pt-BR": string[] };
  /** Unit of numeric fields whose name carries it (weight_g: g). */
  unit?: "g" | "cm";
  /** A canonical field holding the same thing (attributes.BRAND ↔ brand): one column may feed both. */
  aliasOf?: string;
}

const f = (info: FieldInfo) => info;

export const FIELD_CATALOG: readonly FieldInfo[] = [
  f({
    field: "sku",
    type: "string",
    label: { en: "SKU", "pt-BR": "SKU" },
    example: "CEL-A15-128-AZ",
    synonyms: {
      en: ["sku", "item sku", "seller sku", "product id", "product code", "item code", "code", "id", "offer id", "reference", "ref"],
      "pt-BR": ["sku", "código", "código do produto", "código sku", "código interno", "cód", "cod", "cod produto", "referência", "ref", "id do produto", "código de referência"],
    },
  }),
  f({
    field: "title",
    type: "string",
    label: { en: "Title", "pt-BR": "Título" },
    example: "Smartphone Samsung Galaxy A15 128GB Azul",
    synonyms: {
      en: ["title", "name", "product name", "product title", "item name", "item title", "listing title"],
      "pt-BR": ["título", "nome", "nome do produto", "produto", "título do anúncio", "título do produto", "nome do item", "anúncio"],
    },
  }),
  f({
    field: "description",
    type: "string",
    label: { en: "Description", "pt-BR": "Descrição" },
    example:
      "Smartphone Samsung Galaxy A15 com 128 GB de armazenamento, 4 GB de memória RAM, tela de 6,5 polegadas e bateria de 5000 mAh. Acompanha cabo USB-C e manual.",
    synonyms: {
      en: ["description", "product description", "long description", "details", "body", "body html"],
      "pt-BR": ["descrição", "descrição do produto", "descrição completa", "descrição longa", "detalhes", "informações do produto"],
    },
  }),
  f({
    field: "price",
    type: "decimal",
    label: { en: "Price", "pt-BR": "Preço" },
    example: 1299.9,
    synonyms: {
      en: ["price", "regular price", "list price", "unit price", "selling price", "retail price"],
      "pt-BR": ["preço", "preço de venda", "preço (r$)", "valor", "valor de venda", "preço unitário", "preço cheio", "preço normal", "preço de lista", "valor unitário"],
    },
  }),
  f({
    field: "sale_price",
    type: "decimal",
    label: { en: "Sale price", "pt-BR": "Preço promocional" },
    example: 1199.9,
    synonyms: {
      en: ["sale price", "promo price", "promotional price", "discount price", "special price", "offer price"],
      "pt-BR": ["preço promocional", "preço promo", "preço com desconto", "preço de oferta", "preço por", "valor promocional", "promoção", "preço especial"],
    },
  }),
  f({
    field: "currency",
    type: "string",
    label: { en: "Currency", "pt-BR": "Moeda" },
    example: "BRL",
    synonyms: { en: ["currency", "currency id", "currency code"], "pt-BR": ["moeda", "código da moeda"] },
  }),
  f({
    field: "stock",
    type: "integer",
    label: { en: "Stock", "pt-BR": "Estoque" },
    example: 15,
    synonyms: {
      en: ["stock", "quantity", "qty", "inventory", "available quantity", "stock quantity", "on hand"],
      "pt-BR": ["estoque", "quantidade", "qtd", "qtde", "quant", "quantidade em estoque", "quantidade disponível", "saldo", "saldo em estoque", "estoque disponível"],
    },
  }),
  f({
    field: "gtin",
    type: "string",
    label: { en: "GTIN / EAN", "pt-BR": "GTIN / EAN" },
    example: "7891234567895",
    synonyms: {
      en: ["gtin", "ean", "barcode", "upc", "ean13", "ean 13", "gtin13", "isbn", "jan"],
      "pt-BR": ["ean", "gtin", "código de barras", "cod barras", "código ean", "ean13", "ean 13", "gtin/ean", "ean/gtin"],
    },
  }),
  f({
    field: "brand",
    type: "string",
    label: { en: "Brand", "pt-BR": "Marca" },
    example: "Samsung",
    synonyms: { en: ["brand", "brand name", "manufacturer", "make"], "pt-BR": ["marca", "fabricante", "nome da marca"] },
  }),
  f({
    field: "model",
    type: "string",
    label: { en: "Model", "pt-BR": "Modelo" },
    example: "Galaxy A15",
    synonyms: { en: ["model", "model name", "model number"], "pt-BR": ["modelo", "nome do modelo"] },
  }),
  f({
    field: "condition",
    type: "string",
    label: { en: "Condition", "pt-BR": "Condição" },
    example: "new",
    synonyms: {
      en: ["condition", "item condition", "product condition", "state"],
      "pt-BR": ["condição", "condição do produto", "estado", "estado do produto", "novo/usado", "novo ou usado"],
    },
  }),
  f({
    field: "category_id",
    type: "string",
    label: { en: "Category", "pt-BR": "Categoria" },
    example: "MLB1055",
    synonyms: {
      en: ["category", "category id", "product category", "google product category", "product type"],
      "pt-BR": ["categoria", "id da categoria", "código da categoria", "categoria do produto"],
    },
  }),
  f({
    field: "images",
    type: "list",
    items: "url",
    label: { en: "Images", "pt-BR": "Imagens" },
    example: ["https://loja.exemplo.com.br/fotos/galaxy-a15-azul-1.jpg", "https://loja.exemplo.com.br/fotos/galaxy-a15-azul-2.jpg"],
    synonyms: {
      en: ["images", "image", "image url", "image link", "image links", "picture", "pictures", "photo", "photos", "additional image link", "main image"],
      "pt-BR": ["imagem", "imagens", "foto", "fotos", "url da imagem", "link da imagem", "links das imagens", "imagem principal", "url das imagens", "fotos do produto"],
    },
  }),
  f({
    field: "weight_g",
    type: "decimal",
    unit: "g",
    label: { en: "Weight (g)", "pt-BR": "Peso (g)" },
    example: 250,
    synonyms: {
      en: ["weight", "shipping weight", "package weight", "weight g", "weight grams", "gross weight", "net weight"],
      "pt-BR": ["peso", "peso bruto", "peso líquido", "peso da embalagem", "peso g", "peso em gramas", "peso gramas"],
    },
  }),
  f({
    field: "width_cm",
    type: "decimal",
    unit: "cm",
    label: { en: "Width (cm)", "pt-BR": "Largura (cm)" },
    example: 10,
    synonyms: { en: ["width", "package width", "width cm"], "pt-BR": ["largura", "largura da embalagem", "largura cm"] },
  }),
  f({
    field: "height_cm",
    type: "decimal",
    unit: "cm",
    label: { en: "Height (cm)", "pt-BR": "Altura (cm)" },
    example: 18,
    synonyms: { en: ["height", "package height", "height cm"], "pt-BR": ["altura", "altura da embalagem", "altura cm"] },
  }),
  f({
    field: "length_cm",
    type: "decimal",
    unit: "cm",
    label: { en: "Length (cm)", "pt-BR": "Comprimento (cm)" },
    example: 5,
    synonyms: {
      en: ["length", "depth", "package length", "length cm"],
      "pt-BR": ["comprimento", "profundidade", "comprimento da embalagem", "comprimento cm"],
    },
  }),
  f({
    field: "ncm",
    type: "string",
    label: { en: "NCM", "pt-BR": "NCM" },
    example: "85171300",
    synonyms: { en: ["ncm", "ncm code", "hs code", "tariff code"], "pt-BR": ["ncm", "código ncm", "classificação fiscal", "cod ncm"] },
  }),
  f({
    field: "warranty",
    type: "string",
    label: { en: "Warranty", "pt-BR": "Garantia" },
    example: "12 meses de garantia do fabricante",
    synonyms: { en: ["warranty", "guarantee", "warranty time"], "pt-BR": ["garantia", "tempo de garantia", "prazo de garantia"] },
  }),
  f({
    field: "url",
    type: "url",
    label: { en: "Product page", "pt-BR": "Página do produto" },
    example: "https://loja.exemplo.com.br/produtos/galaxy-a15-128gb-azul",
    synonyms: {
      en: ["url", "link", "product url", "product link", "landing page", "page url"],
      "pt-BR": ["link", "url", "link do produto", "url do produto", "página do produto", "endereço do produto"],
    },
  }),
];

/** Attributes used by the built-in packs (Mercado Livre ids in capitals, Google's in lower case). */
export const ATTRIBUTE_CATALOG: readonly FieldInfo[] = [
  f({ field: "attributes.BRAND", aliasOf: "brand", type: "string", label: { en: "Brand (BRAND)", "pt-BR": "Marca (BRAND)" }, example: "Samsung", synonyms: { en: ["brand", "manufacturer"], "pt-BR": ["marca", "fabricante"] } }),
  f({ field: "attributes.MODEL", aliasOf: "model", type: "string", label: { en: "Model (MODEL)", "pt-BR": "Modelo (MODEL)" }, example: "Galaxy A15", synonyms: { en: ["model"], "pt-BR": ["modelo"] } }),
  f({ field: "attributes.LINE", type: "string", label: { en: "Line", "pt-BR": "Linha" }, example: "Galaxy A", synonyms: { en: ["line", "product line", "series"], "pt-BR": ["linha", "linha do produto", "série"] } }),
  f({ field: "attributes.COLOR", type: "string", label: { en: "Color", "pt-BR": "Cor" }, example: "Azul", synonyms: { en: ["color", "colour"], "pt-BR": ["cor", "cor principal", "cores"] } }),
  f({
    field: "attributes.INTERNAL_MEMORY",
    type: "string",
    label: { en: "Internal memory", "pt-BR": "Memória interna" },
    example: "128 GB",
    synonyms: { en: ["internal memory", "storage", "storage capacity"], "pt-BR": ["memória interna", "armazenamento", "capacidade de armazenamento", "memória"] },
  }),
  f({ field: "attributes.RAM", type: "string", label: { en: "RAM", "pt-BR": "Memória RAM" }, example: "4 GB", synonyms: { en: ["ram", "ram memory", "memory ram"], "pt-BR": ["memória ram", "ram"] } }),
  f({
    field: "attributes.IS_DUAL_SIM",
    type: "string",
    label: { en: "Dual SIM", "pt-BR": "É Dual SIM" },
    example: "Sim",
    synonyms: { en: ["dual sim", "is dual sim"], "pt-BR": ["dual sim", "dual chip", "é dual sim", "dois chips"] },
  }),
  f({ field: "attributes.CARRIER", type: "string", label: { en: "Carrier", "pt-BR": "Operadora" }, example: "Desbloqueado", synonyms: { en: ["carrier", "network"], "pt-BR": ["operadora"] } }),
  f({
    field: "attributes.CELLPHONES_ANATEL_HOMOLOGATION_NUMBER",
    type: "string",
    label: { en: "Anatel homologation number", "pt-BR": "Número de homologação Anatel" },
    example: "01234-22-05678",
    synonyms: { en: ["anatel", "anatel number", "anatel homologation"], "pt-BR": ["anatel", "homologação anatel", "número anatel", "código anatel", "homologação"] },
  }),
  f({
    field: "attributes.EMPTY_GTIN_REASON",
    type: "string",
    label: { en: "Reason there is no GTIN", "pt-BR": "Motivo de não ter GTIN" },
    example: "O produto não tem código cadastrado",
    synonyms: { en: ["empty gtin reason", "no gtin reason"], "pt-BR": ["motivo sem gtin", "motivo gtin vazio", "motivo sem ean"] },
  }),
  f({
    field: "attributes.PROCESSOR_BRAND",
    type: "string",
    label: { en: "Processor brand", "pt-BR": "Marca do processador" },
    example: "Intel",
    synonyms: { en: ["processor brand", "cpu brand"], "pt-BR": ["marca do processador"] },
  }),
  f({
    field: "attributes.PROCESSOR_MODEL",
    type: "string",
    label: { en: "Processor model", "pt-BR": "Modelo do processador" },
    example: "Core i5-1235U",
    synonyms: { en: ["processor", "processor model", "cpu"], "pt-BR": ["processador", "modelo do processador"] },
  }),
  f({
    field: "attributes.RAM_MEMORY_MODULE_TOTAL_CAPACITY",
    type: "string",
    label: { en: "RAM capacity", "pt-BR": "Capacidade da memória RAM" },
    example: "8 GB",
    synonyms: { en: ["ram", "ram capacity", "memory"], "pt-BR": ["memória ram", "capacidade da memória ram", "ram"] },
  }),
  f({
    field: "attributes.DISPLAY_SIZE",
    type: "string",
    label: { en: "Screen size", "pt-BR": "Tamanho da tela" },
    example: '15.6 "',
    synonyms: { en: ["screen size", "display size", "screen"], "pt-BR": ["tamanho da tela", "tela", "polegadas", "tamanho de tela"] },
  }),
  f({ field: "attributes.GENDER", type: "string", label: { en: "Gender", "pt-BR": "Gênero" }, example: "Feminino", synonyms: { en: ["gender"], "pt-BR": ["gênero", "sexo"] } }),
  f({ field: "attributes.SIZE", type: "string", label: { en: "Size", "pt-BR": "Tamanho" }, example: "M", synonyms: { en: ["size"], "pt-BR": ["tamanho", "numeração"] } }),
  f({
    field: "attributes.SIZE_GRID_ID",
    type: "string",
    label: { en: "Size chart id", "pt-BR": "Tabela de medidas" },
    example: "3947210",
    synonyms: { en: ["size chart", "size grid", "size grid id"], "pt-BR": ["tabela de medidas", "guia de tamanhos", "id da tabela de medidas"] },
  }),
  f({
    field: "attributes.availability",
    type: "string",
    label: { en: "Availability", "pt-BR": "Disponibilidade" },
    example: "in_stock",
    synonyms: { en: ["availability", "in stock"], "pt-BR": ["disponibilidade", "situação do estoque"] },
  }),
  f({
    field: "attributes.identifier_exists",
    type: "string",
    label: { en: "Identifier exists", "pt-BR": "Possui identificador" },
    example: "yes",
    synonyms: { en: ["identifier exists"], "pt-BR": ["possui gtin", "tem gtin", "possui identificador"] },
  }),
  f({
    field: "attributes.mpn",
    type: "string",
    label: { en: "MPN", "pt-BR": "MPN (código do fabricante)" },
    example: "SM-A155MZBDZTO",
    synonyms: { en: ["mpn", "part number", "manufacturer part number"], "pt-BR": ["mpn", "código do fabricante", "part number", "referência do fabricante"] },
  }),
];

const BY_FIELD = new Map<string, FieldInfo>([...FIELD_CATALOG, ...ATTRIBUTE_CATALOG].map((i) => [i.field, i]));

/** What the catalog knows about a field; an unknown `attributes.KEY` gets a plain string entry named after its key. */
export function fieldInfo(field: string): FieldInfo {
  const known = BY_FIELD.get(field);
  if (known) return known;
  const key = field.startsWith("attributes.") ? field.slice("attributes.".length) : field;
  const words = key.toLowerCase().replace(/_/g, " ");
  return { field, type: "string", label: { en: key, "pt-BR": key }, example: undefined, synonyms: { en: [words], "pt-BR": [words] } };
}
