import { type DefaultMappingOptions, defaultMapping } from "./default-mapping";
import { applyPreset, type PresetRef, presetRef } from "./preset-apply";
import { recognisePreset } from "./preset-detect";
import type { LayoutPreset } from "./presets";
import type { MappingDefinition } from "./types";

export interface AutomaticMapping {
  mapping: MappingDefinition;
  /** The verified layout preset the mapping came from (what a job records and shows), or null for the default mapping. */
  preset: (PresetRef & { score: number }) | null;
  /**
   * A layout the header looks like but that was not applied because its column names are not
   * confirmed: worth telling the seller ("looks like a Bling export; ask for preset bling").
   */
  unverified: (PresetRef & { score: number }) | null;
}

/**
 * The mapping for a file that names none: a recognised, verified layout preset's mapping, else the
 * default mapping. Unverified presets are never applied on their own; they are only reported.
 */
export function automaticMapping(header: readonly string[], opts: DefaultMappingOptions & { presets?: readonly LayoutPreset[]; marketplace?: string } = {}): AutomaticMapping {
  const { best } = recognisePreset(header, opts.presets ?? []);
  if (best?.preset.verified) {
    const applied = applyPreset(best.preset, header, { template: opts.template, marketplace: opts.marketplace });
    return { mapping: applied.mapping, preset: { ...applied.preset, score: best.score }, unverified: null };
  }
  return {
    mapping: defaultMapping(header, opts.marketplace, { ...opts, layoutColumns: best?.preset.header }),
    preset: null,
    unverified: best ? { ...presetRef(best.preset), score: best.score } : null,
  };
}
