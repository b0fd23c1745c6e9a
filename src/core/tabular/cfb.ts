import type { RandomAccessReader } from "./types";

const MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const END_OF_CHAIN = 0xfffffffe;
const MAX_DIRECTORY_SECTORS = 64;

export function isCfb(head: Uint8Array): boolean {
  return head.length >= 8 && MAGIC.every((b, i) => head[i] === b);
}

/**
 * Tells a password-protected OOXML workbook (an OLE/CFB container holding `EncryptionInfo` and
 * `EncryptedPackage` streams) from a legacy .xls, by walking the CFB directory chain. Any
 * surprise in the structure answers "legacy": both are refused, only the message differs.
 */
export async function classifyCfb(reader: RandomAccessReader): Promise<"encrypted" | "legacy"> {
  try {
    const header = await reader.read(0, 512);
    const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const shift = v.getUint16(0x1e, true);
    if (shift !== 9 && shift !== 12) return "legacy";
    const sectorSize = 1 << shift;
    const perFat = sectorSize / 4;
    const difat: number[] = [];
    for (let i = 0; i < 109; i++) difat.push(v.getUint32(0x4c + i * 4, true));

    const fatCache = new Map<number, DataView>();
    const nextSector = async (s: number): Promise<number> => {
      const fatIndex = Math.floor(s / perFat);
      const fatSector = difat[fatIndex];
      if (fatSector === undefined || fatSector >= END_OF_CHAIN) return END_OF_CHAIN;
      let fat = fatCache.get(fatSector);
      if (fat === undefined) {
        const b = await reader.read((fatSector + 1) * sectorSize, sectorSize);
        fat = new DataView(b.buffer, b.byteOffset, b.byteLength);
        fatCache.set(fatSector, fat);
      }
      return fat.getUint32((s % perFat) * 4, true);
    };

    const names = new TextDecoder("utf-16le");
    let sector = v.getUint32(0x30, true);
    for (let hop = 0; hop < MAX_DIRECTORY_SECTORS && sector < END_OF_CHAIN; hop++) {
      const offset = (sector + 1) * sectorSize;
      if (offset + sectorSize > reader.size) break;
      const dir = await reader.read(offset, sectorSize);
      const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
      for (let e = 0; e + 128 <= sectorSize; e += 128) {
        const len = Math.min(dv.getUint16(e + 64, true), 64);
        if (len < 2) continue;
        const name = names.decode(dir.subarray(e, e + len - 2));
        if (name === "EncryptionInfo" || name === "EncryptedPackage") return "encrypted";
      }
      sector = await nextSector(sector);
    }
  } catch {
    // Fall through: unreadable structure.
  }
  return "legacy";
}
