import { compileDateFormat, type DateFormat, parseDateAuto } from "../mapping/dates";
import { displayValue } from "../rules/values";
import { text } from "../text";
import { FAIL, type Operation } from "./types";

const AUTO_OUTPUT = compileDateFormat("DD/MM/YYYY", true) as DateFormat;

/** Reads a date in `format` (or any usual one, `auto`) and writes it in `output` (ISO by default). */
export const date: Operation = {
  name: "date",
  family: "date",
  params: { format: { kind: "text", minLength: 1, maxLength: 40 }, output: { kind: "text", minLength: 1, maxLength: 40 } },
  scalar: true,
  compile(p, _ctx, problem) {
    let input: DateFormat | undefined;
    const explicit = p.format !== undefined && p.format !== "auto";
    if (explicit) {
      const f = compileDateFormat(p.format, true);
      if ("problem" in f) problem(f.problem, "format");
      else input = f;
    }
    const o = compileDateFormat(p.output ?? "YYYY-MM-DD", false);
    if ("problem" in o) problem(o.problem, "output");
    if ("problem" in o || (explicit && !input)) return undefined;
    const output = o;
    const formatText = input?.text ?? "DD/MM/YYYY, YYYY-MM-DD";
    return {
      forward(v) {
        if (input) {
          const parts = typeof v === "string" ? input.parse(v) : undefined;
          return parts ? output.format(parts) : FAIL;
        }
        const auto = parseDateAuto(v);
        return auto ? output.format(auto.parts) : FAIL;
      },
      reverse(v, orig) {
        const parts = typeof v === "string" ? output.parse(v) : undefined;
        if (!parts) return FAIL;
        const back = input ?? parseDateAuto(orig)?.format ?? AUTO_OUTPUT;
        return back.format(parts);
      },
      failure: {
        rule: "mapping.date.invalid",
        message: (value, column) =>
          text(`"${displayValue(value)}" in column ${column} is not a date (${formatText})`, `"${displayValue(value)}" na coluna ${column} não é uma data (${formatText})`),
      },
    };
  },
};

export const DATE_OPS: readonly Operation[] = [date];
