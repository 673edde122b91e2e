// Reads the entries of a ZIP archive in memory (stored or deflated, as public datasets ship them), checking each CRC.
import { crc32, inflateRawSync } from 'node:zlib';
import { ValidationError } from './errors.js';

export interface ZipEntry {
  name: string;
  size: number;
  /** Inflates the entry and checks its CRC-32. */
  read(): Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function endOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  throw new ValidationError('not a ZIP archive (no end-of-central-directory record); was the download cut short?');
}

/** The file entries (not folders) of `zip`, in archive order. */
export function zipEntries(zip: Buffer, label = 'the archive'): ZipEntry[] {
  const eocd = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (at === 0xffffffff || count === 0xffff) throw new ValidationError(`${label} is a ZIP64 archive, which airq does not read`);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ValidationError(`${label}: damaged ZIP central directory (entry ${i + 1})`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at = next;
    if (name.endsWith('/')) continue;
    const read = (): Buffer => {
      if (zip.readUInt32LE(local) !== LOCAL) throw new ValidationError(`${label}: damaged ZIP entry ${name}`);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + packed);
      let out: Buffer;
      if (method === 0) out = Buffer.from(data);
      else if (method === 8) out = inflateRawSync(data);
      else throw new ValidationError(`${label}: entry ${name} uses ZIP compression method ${method}; airq reads stored and deflated entries`);
      if (out.length !== size || crc32(out) !== crc) throw new ValidationError(`${label}: entry ${name} is corrupt (size or CRC mismatch)`);
      return out;
    };
    entries.push({ name, size, read });
  }
  return entries;
}
