import {ReproError} from '../util/errors';

/**
 * A reader for the zip archives torch.save writes (PyTorch ≥ 1.6): every entry is stored
 * uncompressed, tensor data is 64-byte aligned by padding the local header's extra field, and
 * archives over 4 GiB use zip64 records. Only what such archives need is read: the central
 * directory (zip64 too) and stored entries; a compressed entry is an error. Entries are views into
 * `bytes` (no copy). Every offset and length read from the archive is checked against the file's
 * size before it is used, so a damaged or hostile archive is an error, never a read outside it.
 */
export function readStoredZip(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string) => new ReproError(`${file}: not a readable torch.save zip archive: ${what}`,
    {expected: 'a zip archive of stored (uncompressed) entries, as torch.save writes', fix: 'download or save the file again'});
  const inside = (o: number, n: number, what: string) => {
    if (!(o >= 0 && n >= 0 && o + n <= bytes.length)) throw bad(`${what} (bytes ${o}..${o + n}) runs past the end of the ${bytes.length}-byte file`);
  };
  const u16 = (o: number) => { inside(o, 2, 'a field'); return view.getUint16(o, true); };
  const u32 = (o: number) => { inside(o, 4, 'a field'); return view.getUint32(o, true); };
  const u64 = (o: number) => {
    inside(o, 8, 'a field');
    const v = view.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`a zip64 field ${v} is too large`);
    return Number(v);
  };

  if (bytes.length < 22) throw bad(`only ${bytes.length} bytes, too short for a zip archive`);
  // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the end.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--) {
    if (u32(o) === 0x06054b50) { eocd = o; break; }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record (truncated download?)');
  let count = u16(eocd + 10);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    // zip64: the real values are in the zip64 end-of-central-directory record.
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== 0x07064b50) throw bad('zip64 values without a zip64 locator');
    const z = u64(locator + 8);
    if (z + 56 > bytes.length || u32(z) !== 0x06064b50) throw bad('the zip64 end-of-central-directory record is missing');
    count = u64(z + 32);
    cdOffset = u64(z + 48);
  }

  const entries = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || u32(p) !== 0x02014b50) throw bad(`central directory entry ${i} is damaged`);
    const method = u16(p + 10);
    let size = u32(p + 20);
    const uncompressed = u32(p + 24);
    const nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32);
    let local = u32(p + 42);
    inside(p + 46, nameLen + extraLen + commentLen, `the name, extra field and comment of central directory entry ${i}`);
    const name = Buffer.from(bytes.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    if (entries.has(name)) throw bad(`entry "${name}" appears twice`);
    // zip64 extra field (id 1): the 64-bit values of the fields that hold 0xffffffff, in this order.
    let e = p + 46 + nameLen;
    const end = e + extraLen;
    while (e + 4 <= end) {
      const id = u16(e), len = u16(e + 2);
      if (e + 4 + len > end) throw bad(`the extra field of "${name}" is damaged`);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) q += 8;
        if (size === 0xffffffff) { size = u64(q); q += 8; }
        if (local === 0xffffffff) local = u64(q);
      }
      e += 4 + len;
    }
    if (method !== 0) throw bad(`entry "${name}" is compressed (method ${method})`);
    if (local + 30 > bytes.length || u32(local) !== 0x04034b50) throw bad(`the local header of "${name}" is damaged`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (size !== uncompressed && uncompressed !== 0xffffffff) throw bad(`entry "${name}" is stored with ${size} bytes but declares ${uncompressed}`);
    if (start + size > bytes.length) throw bad(`entry "${name}" runs past the end of the file (truncated download?)`);
    entries.set(name, bytes.subarray(start, start + size));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
