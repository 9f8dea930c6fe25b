/**
 * Read a Windows executable's FileVersion from its `VS_VERSIONINFO` resource, in Node, without running it (running
 * Moonlight 6.1.0 with `--version` or a bad argument can open a modal message box; fact sheet §1, §5).
 * Environment: plain Node. Format: Microsoft PE/COFF specification (DOS header → PE header → optional header data
 * directory 2 = resources → IMAGE_RESOURCE_DIRECTORY tree, type RT_VERSION = 16 → VS_FIXEDFILEINFO, signature
 * 0xFEEF04BD). Tested on real PE32 and PE32+ executables (test/unit/stream/fixtures).
 */
import * as fs from 'node:fs/promises';

const RT_VERSION = 16;
const FIXED_SIGNATURE = 0xfeef04bd;

export class PeError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'PeError';
  }
}

export interface PeVersion {
  fileVersion: string;
  productVersion: string;
}

interface Section {
  va: number;
  size: number;
  raw: number;
  rawSize: number;
}

export function readPeVersionFromBuffer(buf: Buffer, file = 'executable'): PeVersion | null {
  const fail = (why: string): never => {
    throw new PeError(file, why);
  };
  const u16 = (o: number) => (o + 2 <= buf.length ? buf.readUInt16LE(o) : fail('truncated'));
  const u32 = (o: number) => (o + 4 <= buf.length ? buf.readUInt32LE(o) : fail('truncated'));
  if (buf.length < 64 || buf.toString('latin1', 0, 2) !== 'MZ') fail('not a Windows executable (no MZ header)');
  const pe = u32(0x3c);
  if (buf.toString('latin1', pe, pe + 4) !== 'PE\0\0') fail('not a PE executable');
  const coff = pe + 4;
  const nSections = u16(coff + 2);
  const optSize = u16(coff + 16);
  const opt = coff + 20;
  const magic = u16(opt);
  const dirBase = magic === 0x10b ? opt + 96 : magic === 0x20b ? opt + 112 : fail(`unknown optional header magic 0x${magic.toString(16)}`);
  const nDirs = u32(dirBase - 4);
  if (nDirs <= 2) return null;
  const rsrcRva = u32(dirBase + 2 * 8);
  if (rsrcRva === 0) return null;
  const sections: Section[] = [];
  for (let i = 0, s = opt + optSize; i < nSections; i++, s += 40) {
    sections.push({ size: u32(s + 8), va: u32(s + 12), rawSize: u32(s + 16), raw: u32(s + 20) });
  }
  const toOffset = (rva: number): number => {
    const sec = sections.find((x) => rva >= x.va && rva < x.va + Math.max(x.size, x.rawSize));
    return sec ? rva - sec.va + sec.raw : fail(`resource address 0x${rva.toString(16)} is outside every section`);
  };
  const base = toOffset(rsrcRva);
  /** Entries of one IMAGE_RESOURCE_DIRECTORY: [id or -1 for names, offset, isDir]. */
  const entries = (dirOff: number) => {
    const n = u16(dirOff + 12) + u16(dirOff + 14);
    const out: { id: number; target: number; isDir: boolean }[] = [];
    for (let i = 0; i < Math.min(n, 4096); i++) {
      const e = dirOff + 16 + i * 8;
      const name = u32(e);
      const off = u32(e + 4);
      out.push({ id: name & 0x80000000 ? -1 : name, target: off & 0x7fffffff, isDir: (off & 0x80000000) !== 0 });
    }
    return out;
  };
  const type = entries(base).find((e) => e.id === RT_VERSION && e.isDir);
  if (!type) return null;
  const name = entries(base + type.target).find((e) => e.isDir);
  if (!name) return null;
  const lang = entries(base + name.target).find((e) => !e.isDir);
  if (!lang) return null;
  const dataEntry = base + lang.target;
  const dataOff = toOffset(u32(dataEntry));
  const dataSize = u32(dataEntry + 4);
  const data = buf.subarray(dataOff, Math.min(buf.length, dataOff + dataSize));
  // VS_VERSIONINFO: wLength, wValueLength, wType, L"VS_VERSION_INFO\0", pad to 4 → VS_FIXEDFILEINFO.
  const key = data.toString('utf16le', 6, 6 + 30);
  if (key !== 'VS_VERSION_INFO') fail('the version resource is not a VS_VERSIONINFO');
  const fixed = (6 + 32 + 3) & ~3;
  if (data.length < fixed + 52 || data.readUInt32LE(fixed) !== FIXED_SIGNATURE) fail('VS_FIXEDFILEINFO signature missing');
  const v = (ms: number, ls: number) => `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
  return {
    fileVersion: v(data.readUInt32LE(fixed + 8), data.readUInt32LE(fixed + 12)),
    productVersion: v(data.readUInt32LE(fixed + 16), data.readUInt32LE(fixed + 20)),
  };
}

/** Read at most 64 MiB (Moonlight.exe is a few MiB; the resource section can sit anywhere). */
export async function readPeVersion(file: string): Promise<PeVersion | null> {
  const st = await fs.stat(file);
  if (st.size > 64 * 1024 * 1024) throw new PeError(file, 'larger than 64 MiB; refusing to read');
  return readPeVersionFromBuffer(await fs.readFile(file), file);
}
