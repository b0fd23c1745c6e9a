/**
 * The operations registry: every value operation Vitrine knows, once. Rule-pack fixes
 * (core/rules/fixes.ts) and mapping transforms (core/mapping/transforms.ts) are two syntaxes over
 * it: each names registry operations, maps its own parameter spelling onto theirs, and may preset
 * parameters its writers do not set. Parameters are read with one spec system (./params.ts).
 */
import { joinText, type Text } from "../text";
import { DATE_OPS } from "./date";
import { LIST_OPS } from "./list";
import { NUMBER_OPS } from "./number";
import { type ParamReading, type ParamSpec, readParam, type Report } from "./params";
import { TEXT_OPS } from "./text";
import type { CompiledOp, OpContext, Operation } from "./types";
import { UNIT_OPS } from "./units";

export type { CompiledOp, Failure, Family, OpContext, Operation, ParamProblem } from "./types";
export { FAIL } from "./types";
export type { ParamReading, ParamSpec, Report } from "./params";

const ALL: readonly Operation[] = [...TEXT_OPS, ...NUMBER_OPS, ...DATE_OPS, ...LIST_OPS, ...UNIT_OPS];

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(ALL.map((op) => [op.name, op]));

export function operation(name: string): Operation {
  const op = OPERATIONS.get(name);
  if (op === undefined) throw new RangeError(`no operation named ${name}`);
  return op;
}

/** How one syntax writes an operation. */
export interface SyntaxEntry {
  /** The registry operation. */
  op: string;
  /** Parameters the syntax sets itself; its writers cannot. */
  preset?: Readonly<Record<string, unknown>>;
  /** Parameters the syntax offers (default: every parameter not preset). */
  offers?: readonly string[];
  /** Tighter (or looser) specs for some parameters, where the syntax's format has always differed. */
  params?: Readonly<Record<string, ParamSpec>>;
}

/** The parameters a syntax entry lets its writers set, with their specs. */
export function offeredParams(entry: SyntaxEntry): Record<string, ParamSpec> {
  const op = operation(entry.op);
  const names = entry.offers ?? Object.keys(op.params).filter((n) => entry.preset?.[n] === undefined);
  const out: Record<string, ParamSpec> = {};
  for (const n of names) out[n] = entry.params?.[n] ?? op.params[n];
  return out;
}

/** Where a syntax reports the problems of one use of an operation. */
export interface UseSite {
  /** Starts problems with parameters (the operation as the writer named it), when their labels do not say it. */
  paramPrefix?: Text;
  /** Starts problems of the operation as a whole, and of parameters its compile step refuses. */
  opPrefix?: Text;
  /** Pointer of the use itself. */
  pointer: string;
  pointerOf(param: string): string;
}

/**
 * Reads the parameters written for one use of an operation, already split by the syntax into
 * name → raw value (unknown names already refused). Returns them as read, or undefined after
 * reporting.
 */
export function readUse(
  entry: SyntaxEntry,
  written: Readonly<Record<string, { raw: unknown; label?: string }>>,
  reading: ParamReading,
  report: Report,
  site: UseSite,
): Record<string, unknown> | undefined {
  const specs = offeredParams(entry);
  const params: Record<string, unknown> = {};
  let ok = true;
  const say = (detail: Text, pointer: string) => {
    report(site.paramPrefix ? joinText([site.paramPrefix, detail]) : detail, pointer);
    ok = false;
  };
  for (const [name, { raw, label }] of Object.entries(written)) {
    const value = readParam(label ?? name, specs[name], raw, site.pointerOf(name), say, reading);
    if (value !== undefined) params[name] = value;
  }
  return ok ? params : undefined;
}

/**
 * Compiles one use of an operation from its read parameters (the entry's presets added). Without
 * `report`, a problem is a programming error (the parameters were checked when they were read).
 */
export function compileUse(entry: SyntaxEntry, params: Readonly<Record<string, unknown>>, ctx: OpContext, report?: Report, site?: UseSite): CompiledOp | undefined {
  let ok = true;
  const compiled = operation(entry.op).compile({ ...params, ...entry.preset }, ctx, (detail, param) => {
    ok = false;
    if (!report || !site) throw new Error(`${entry.op}: ${detail.en}`);
    report(site.opPrefix ? joinText([site.opPrefix, detail]) : detail, param === undefined ? site.pointer : site.pointerOf(param));
  });
  return ok ? compiled : undefined;
}
