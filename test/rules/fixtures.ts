/**
 * Realistic Brazilian catalog records, as a seller's spreadsheet or store export would map them to
 * the canonical record. GTINs carry correct GS1 check digits; Anatel numbers use the 12-digit form.
 */

/** Samsung Galaxy A15 as a JSON API client sends it (typed values). Valid for every pack with MLB1055. */
export const galaxyA15: Record<string, unknown> = {
  sku: "SM-A155M-128-AZE",
  title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Azul-escuro",
  description:
    "Samsung Galaxy A15 com tela Super AMOLED de 6,5 polegadas, câmera tripla de 50 MP e bateria de 5000 mAh.\n" +
    "Dual chip, 128 GB de armazenamento e 4 GB de memória RAM.\n" +
    "Na caixa: aparelho, cabo USB-C e ferramenta para retirar o chip. Nota fiscal e garantia de 12 meses do fabricante.",
  price: 1099.0,
  sale_price: 999.0,
  currency: "BRL",
  stock: 25,
  gtin: "7892509125840",
  brand: "Samsung",
  model: "Galaxy A15",
  condition: "new",
  category_id: "MLB1055",
  images: [
    "https://http2.mlstatic.com/D_NQ_NP_2X_612345-MLB74200000001_012024-F.webp",
    "https://http2.mlstatic.com/D_NQ_NP_2X_612346-MLB74200000002_012024-F.webp",
    "https://http2.mlstatic.com/D_NQ_NP_2X_612347-MLB74200000003_012024-F.webp",
  ],
  attributes: {
    BRAND: "Samsung",
    MODEL: "Galaxy A15",
    LINE: "Galaxy A",
    COLOR: "Azul-escuro",
    INTERNAL_MEMORY: "128 GB",
    RAM: "4 GB",
    IS_DUAL_SIM: "Sim",
    CARRIER: "Desbloqueado",
    CELLPHONES_ANATEL_HOMOLOGATION_NUMBER: "01234-23-00953",
    availability: "in_stock",
    mpn: "SM-A155MZKZZTO",
  },
  weight_g: 200,
  width_cm: 10,
  height_cm: 5,
  length_cm: 18,
  ncm: "85171300",
  warranty: "12 meses de garantia do fabricante",
  url: "https://www.lojadoze.com.br/smartphone-samsung-galaxy-a15-128gb-azul-escuro",
};

/**
 * The same phone as it arrives from a semicolon CSV exported by Excel in Brazil: every value is a
 * string, decimals use commas, images are one cell separated by `|`. Prices are already plain here
 * so the record is valid; tests that need a decimal comma set it explicitly.
 */
export const galaxyA15Csv: Record<string, unknown> = {
  sku: "SM-A155M-128-PRT",
  title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Preto",
  description: String(galaxyA15.description),
  price: "1099.00",
  sale_price: "999.00",
  currency: "BRL",
  stock: "40",
  gtin: "7891000000014",
  brand: "Samsung",
  model: "Galaxy A15",
  condition: "new",
  category_id: "MLB1055",
  images:
    "https://http2.mlstatic.com/D_NQ_NP_2X_700001-MLB74200000011_012024-F.webp|https://http2.mlstatic.com/D_NQ_NP_2X_700002-MLB74200000012_012024-F.webp",
  attributes: {
    BRAND: "Samsung",
    MODEL: "Galaxy A15",
    LINE: "Galaxy A",
    COLOR: "Preto",
    INTERNAL_MEMORY: "128 GB",
    RAM: "4 GB",
    IS_DUAL_SIM: "Sim",
    CARRIER: "Desbloqueado",
    CELLPHONES_ANATEL_HOMOLOGATION_NUMBER: "012342300953",
    availability: "in_stock",
    mpn: "SM-A155MZKDZTO",
  },
  weight_g: "200",
  width_cm: "10",
  height_cm: "5",
  length_cm: "18",
  ncm: "85171300",
  url: "https://www.lojadoze.com.br/smartphone-samsung-galaxy-a15-128gb-preto",
};

/** Lenovo IdeaPad notebook (MLB1652 Notebooks). */
export const ideapadSlim3: Record<string, unknown> = {
  sku: "LNV-82X70004BR",
  title: "Notebook Lenovo IdeaPad Slim 3 i5-12450H 8GB 512GB SSD 15.6",
  description:
    "Notebook Lenovo IdeaPad Slim 3 com processador Intel Core i5-12450H, 8 GB de RAM DDR5, SSD de 512 GB e tela Full HD de 15,6 polegadas.\n" +
    "Windows 11 Home, teclado numérico e leitor de impressão digital. Garantia de 12 meses.",
  price: 3299.9,
  currency: "BRL",
  stock: 7,
  gtin: "7896501064220",
  brand: "Lenovo",
  model: "IdeaPad Slim 3 15IAH8",
  condition: "new",
  category_id: "MLB1652",
  images: [
    "https://cdn.lojadoze.com.br/produtos/lenovo-ideapad-slim3-frente.jpg",
    "https://cdn.lojadoze.com.br/produtos/lenovo-ideapad-slim3-lateral.jpg",
  ],
  attributes: {
    BRAND: "Lenovo",
    MODEL: "IdeaPad Slim 3 15IAH8",
    LINE: "IdeaPad",
    PROCESSOR_BRAND: "Intel",
    PROCESSOR_MODEL: "i5-12450H",
    RAM_MEMORY_MODULE_TOTAL_CAPACITY: "8 GB",
    DISPLAY_SIZE: '15.6 "',
    availability: "in_stock",
    mpn: "82X70004BR",
  },
  weight_g: 1620,
  width_cm: 36,
  height_cm: 3,
  length_cm: 24,
  ncm: "84713012",
  url: "https://www.lojadoze.com.br/notebook-lenovo-ideapad-slim-3-i5",
};

/** Nike running shoe (MLB1430 Calçados, Roupas e Bolsas). */
export const nikeRevolution7: Record<string, unknown> = {
  sku: "NK-FB2207-001-41",
  title: "Tênis Nike Revolution 7 Masculino Preto e Branco",
  description:
    "Tênis de corrida Nike Revolution 7 masculino, cabedal em malha respirável, entressola de espuma macia e solado de borracha.\n" +
    "Indicado para caminhadas e corridas leves. Produto original com nota fiscal.",
  price: 399.99,
  sale_price: 329.99,
  currency: "BRL",
  stock: 12,
  gtin: "0194754012348",
  brand: "Nike",
  model: "Revolution 7",
  condition: "new",
  category_id: "MLB23332",
  images: [
    "https://static.lojadoze.com.br/nike/fb2207-001-1.jpg",
    "https://static.lojadoze.com.br/nike/fb2207-001-2.jpg",
    "https://static.lojadoze.com.br/nike/fb2207-001-3.jpg",
    "https://static.lojadoze.com.br/nike/fb2207-001-4.jpg",
  ],
  attributes: {
    BRAND: "Nike",
    MODEL: "Revolution 7",
    GENDER: "Masculino",
    COLOR: "Preto/Branco",
    SIZE: "41",
    SIZE_GRID_ID: "3947566",
    availability: "in_stock",
    mpn: "FB2207-001",
  },
  weight_g: 850,
  width_cm: 20,
  height_cm: 12,
  length_cm: 32,
  ncm: "64041100",
  url: "https://www.lojadoze.com.br/tenis-nike-revolution-7-masculino-preto",
};

/** A used item listed by a small seller: an electric kettle with no barcode. */
export const usedKettle: Record<string, unknown> = {
  sku: "USD-CHALEIRA-0042",
  title: "Chaleira Elétrica Mondial 1,7 Litros 127V Inox Usada",
  description:
    "Chaleira elétrica Mondial de 1,7 litros, voltagem 127V, em bom estado de conservação. Funciona perfeitamente, com pequenas marcas de uso na base.",
  price: 59.9,
  currency: "BRL",
  stock: 1,
  brand: "Mondial",
  model: "CE-17",
  condition: "used",
  images: ["https://static.lojadoze.com.br/usados/chaleira-mondial-1.jpg"],
  attributes: {
    BRAND: "Mondial",
    MODEL: "CE-17",
    availability: "in_stock",
    mpn: "CE-17",
  },
  weight_g: 900,
  width_cm: 18,
  height_cm: 25,
  length_cm: 22,
  ncm: "85161000",
  url: "https://www.lojadoze.com.br/chaleira-eletrica-mondial-usada",
};

/** The rules MLB1055 (cell phones) adds for attributes a general phone record such as galaxyA15 leaves out, sorted. */
export const MLB1055_MISSING_ATTRIBUTE_RULES = [
  "ml.mlb1055.anatel.required",
  "ml.mlb1055.carrier.required",
  "ml.mlb1055.color.required",
  "ml.mlb1055.dual_sim.required",
  "ml.mlb1055.internal_memory.required",
  "ml.mlb1055.line.required",
  "ml.mlb1055.ram.required",
];
