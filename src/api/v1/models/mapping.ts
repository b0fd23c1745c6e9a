import { z } from "zod";
import { TRANSFORM_OPS } from "../../../core/mapping";
import { MARKETPLACE_LIST } from "../../../core/marketplaces";
import { Timestamp } from "../../schemas";

// Mappings are saved (/mappings) and sent inline (/validate, jobs): one shape for both.

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

// Transforms are validated in depth by the mapping compiler, which points at the exact parameter;
// the schema only fixes their shape so the document stays readable.
export const Transform = z
  .union([z.string().max(40), z.object({ op: z.string().max(40) }).loose()])
  .describe(`A transform: an op name ("trim") or { "op": …, …params }. Ops: ${TRANSFORM_OPS.join(", ")}. See docs/mappings.md.`)
  .meta({ id: "MappingTransform" });

export const FieldMapping = z
  .object({
    target: z.string().max(120).describe("A canonical field (price, images, …) or attributes.<KEY> (e.g. attributes.BRAND)"),
    source: z.string().max(200).optional().describe("A column of the seller's file (accents, case and spaces do not matter)"),
    sources: z
      .array(z.string().max(200))
      .max(100)
      .optional()
      .describe('Several columns, combined by collect, first, concat or template. "Imagem *" matches Imagem 1, Imagem 2, …'),
    value: z.union([Scalar, z.array(Scalar).max(100)]).optional().describe("A constant, for fields the file lacks (currency: BRL)"),
    transforms: z.array(Transform).max(20).optional().describe("Applied in order"),
  })
  .strict()
  .meta({ id: "FieldMapping" });

export const MappingBody = z.object({
  name: z.string().trim().min(1).max(100),
  marketplace: z.string().max(64).describe(`The rule pack the mapping feeds: ${MARKETPLACE_LIST} or one of yours`),
  category: z.string().max(64).nullish().describe("A category of that pack, e.g. MLB1055"),
  fields: z.array(FieldMapping).min(1).max(300),
});

/** An inline mapping (POST /validate): like a saved one, with name and marketplace optional. */
export const InlineMapping = MappingBody.partial({ name: true, marketplace: true }).meta({ id: "InlineMapping" });

export const Mapping = z
  .object({
    id: z.string().describe("map_…"),
    name: z.string(),
    marketplace: z.string(),
    category: z.string().nullable(),
    // Jobs record the version they used; saving a mapping never changes an earlier version.
    version: z.number().int().describe("Starts at 1 and increases on every PUT"),
    fields: z.array(FieldMapping).describe("In normal form: transforms as objects"),
    created_at: Timestamp,
    updated_at: Timestamp.describe("When this version was saved"),
  })
  .meta({ id: "Mapping" });
