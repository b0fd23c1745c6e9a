import { compilePack, parsePack, type Locale, type PackDefinition, type RecordResult, type Validator } from "../../../src/core/rules";

/** A one-pack validator from rules given as objects (sent through the JSON path of parsePack). */
export function validatorFor(
  rules: Record<string, unknown>[],
  opts: { locale?: Locale; applyFixes?: boolean; category?: string } = {},
): Validator {
  const def = parsePack(JSON.stringify({ id: "test-pack", name: "Test", version: "1.0.0", rules }), { format: "json" });
  return compilePack(def, () => undefined).createValidator(opts);
}

/** Validates one record against one rule. */
export function run(rule: Record<string, unknown>, record: Record<string, unknown>, opts: { locale?: Locale; applyFixes?: boolean } = {}): RecordResult {
  return validatorFor([{ id: "r", severity: "error", ...rule }], opts).validate(record, 1);
}

/** True when `value` in `field` passes the rule. */
export function passes(rule: Record<string, unknown>, value: unknown, field = (rule.field as string) ?? "title"): boolean {
  return run({ field, ...rule }, { [field]: value }).issues.length === 0;
}

/** Parses a YAML pack with the usual header. */
export function yamlPack(body: string, header = "id: test-pack\nname: Test\nversion: 1.0.0\n"): PackDefinition {
  return parsePack(header + body);
}

/** A resolver over a list of parsed packs. */
export function registry(...packs: PackDefinition[]): (id: string) => PackDefinition | undefined {
  const map = new Map(packs.map((p) => [p.id, p]));
  return (id) => map.get(id);
}
