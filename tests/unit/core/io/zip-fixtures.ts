/**
 * A tiny raw zip writer for hostile test zips: yazl refuses bad names, so this one writes whatever it is
 * told (local headers, central directory, end record), including names, flags, attributes and sizes that lie.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  /** Written byte for byte (UTF-8 for strings, with the UTF-8 flag set). */
  name: string | Buffer;
  data?: Buffer | string;
  /** 0 stored, 8 deflated (the default), or any other number to claim an unknown method. */
  method?: number;
  /** Extra general-purpose flag bits, e.g. 0x1 for "encrypted". */
  flags?: number;
  /** Unix mode in the high 16 bits, e.g. `unixMode(0o120777)` for a symbolic link. */
  externalAttributes?: number;
  /** The uncompressed size both headers declare; the real size when left out. */
  declaredSize?: number;
}

/** External attributes carrying a Unix mode. */
export const unixMode = (mode: number): number => (mode << 16) >>> 0;

const UTF8_FLAG = 0x800;
const MADE_BY_UNIX = (3 << 8) | 20;

export function rawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : (entry.data ?? Buffer.alloc(0));
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const flags = (typeof entry.name === 'string' ? UTF8_FLAG : 0) | (entry.flags ?? 0);
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(entry.externalAttributes ?? 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}
