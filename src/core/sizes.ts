const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** A byte count in the largest unit that divides it evenly enough to read: 256 KiB, 5 MiB, 1 GiB, 1.5 MiB, 700 bytes. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [["GiB", GIB], ["MiB", MIB], ["KiB", KIB]] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : Number(value.toFixed(1))} ${unit}`;
    }
  }
  return `${bytes} byte${bytes === 1 ? "" : "s"}`;
}
