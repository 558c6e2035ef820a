import {crc32, inflateSync} from 'node:zlib';
import {ReproError} from '../util/errors';
import {limit, limitError} from '../util/limits';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Checks a PNG's structure before it is decoded: the signature, then chunks each of whose length
 * fits in the file and whose CRC matches, IHDR first with a size within REPRO_MAX_IMAGE_PIXELS,
 * and IEND last. A truncated or damaged file is then always the same error (the decoder, given
 * one, fills missing rows with zeros or fails differently from run to run), and a 99-byte file
 * cannot declare a 20000×20000 image. Returns the declared size.
 */
export function checkPng(bytes: Uint8Array, file: string): {width: number; height: number} {
  const bad = (what: string) => new ReproError(`${file}: damaged PNG: ${what}`,
    {expected: 'a complete PNG file (chunks with valid CRCs, ending with IEND)', fix: 'replace or delete the file, then load again'});
  if (bytes.length < 8 || !SIGNATURE.every((b, i) => bytes[i] === b)) throw bad('no PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let size: {width: number; height: number} | undefined;
  let interlaced = false;
  let rowBits = 0;
  const idat: Uint8Array[] = [];
  for (;;) {
    if (pos + 12 > bytes.length) throw bad(`truncated at byte ${bytes.length}: no IEND chunk`);
    const length = view.getUint32(pos);
    const type = Buffer.from(bytes.subarray(pos + 4, pos + 8)).toString('latin1');
    if (length > 0x7fffffff || pos + 12 + length > bytes.length) {
      throw bad(`chunk "${type}" at byte ${pos} declares ${length} bytes, past the end of the ${bytes.length}-byte file (truncated?)`);
    }
    const crc = view.getUint32(pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== crc) throw bad(`chunk "${type}" at byte ${pos} fails its CRC`);
    if (size === undefined) {
      if (type !== 'IHDR' || length !== 13) throw bad('the first chunk is not a 13-byte IHDR');
      size = {width: view.getUint32(pos + 8), height: view.getUint32(pos + 12)};
      if (size.width === 0 || size.height === 0) throw bad(`declared size ${size.width}×${size.height}`);
      if (size.width * size.height > limit('imagePixels')) {
        throw limitError('imagePixels', file, `a PNG of ${size.width}×${size.height} pixels`);
      }
      const channels = ({0: 1, 2: 3, 3: 1, 4: 2, 6: 4} as Record<number, number>)[bytes[pos + 17]] ?? 4;
      rowBits = size.width * channels * bytes[pos + 16];
      interlaced = bytes[pos + 20] === 1;
    }
    if (type === 'IDAT' && interlaced) idat.push(bytes.subarray(pos + 8, pos + 8 + length));
    pos += 12 + length;
    if (type === 'IEND') {
      // pngjs bounds what it inflates for plain images only; an interlaced one is bounded here
      // (seven passes add at most one filter byte per row each, so twice the plain size is ample).
      if (interlaced) {
        const bound = 2 * size.height * (1 + Math.ceil(rowBits / 8)) + 1024;
        try {
          inflateSync(Buffer.concat(idat), {maxOutputLength: bound});
        } catch (err) {
          throw bad(`its image data does not inflate to at most the ${bound} bytes a ${size.width}×${size.height} image needs (${(err as Error).message})`);
        }
      }
      return size;
    }
  }
}
