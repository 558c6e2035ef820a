import * as jpeg from 'jpeg-js';
import {PNG} from 'pngjs';
import {ReproError} from '../util/errors';
import {limit, limitError} from '../util/limits';
import {checkPng} from './png_check';

/** An image in memory: height × width × channels bytes, row-major, interleaved. */
export interface RawImage {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Told how many of `total` images are decoded so far (every few hundred images, and at the end). */
export type DecodeProgress = (done: number, total: number) => void;

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const;

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * Decodes a JPEG or PNG (by its magic bytes, not its name) to `channels` (1: luminance, 3: RGB;
 * alpha is dropped, grayscale is replicated). Errors name `file`. The declared size is checked
 * against REPRO_MAX_IMAGE_PIXELS before decoding (checkPng; jpeg-js's own resolution and memory
 * bounds), so a small file cannot make the decoder allocate gigabytes.
 */
export function decodeImage(bytes: Uint8Array, file: string, channels: 1 | 3): RawImage {
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (isPng) checkPng(bytes, file);
  const maxPixels = limit('imagePixels');
  try {
    if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
      const img = jpeg.decode(bytes, {useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6,
        // RGBA output plus jpeg-js's component buffers: about 8 bytes per pixel.
        maxMemoryUsageInMB: Math.ceil((8 * maxPixels) / 2 ** 20)});
      ({data: rgba, width, height} = img);
    } else if (isPng) {
      const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      rgba = img.data;
      width = img.width;
      height = img.height;
    } else {
      throw new Error('neither a JPEG (ff d8 ff) nor a PNG (89 50 4e 47) signature');
    }
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    if (/maxResolutionInMP|maxMemoryUsageInMB/.test(message)) throw limitError('imagePixels', file, `a JPEG too large to decode (${message})`);
    throw new ReproError(`${file}: unreadable image (${message})`,
      {expected: 'a complete JPEG or PNG file', fix: 'replace or delete the file, then load again', cause: err});
  }
  if (width * height * 4 !== rgba.length || width === 0 || height === 0) {
    throw new ReproError(`${file}: unreadable image (decoded ${rgba.length} bytes for ${width}×${height})`, {expected: 'a complete JPEG or PNG file'});
  }
  const n = width * height;
  const data = new Uint8Array(n * channels);
  if (channels === 3) {
    for (let i = 0; i < n; i++) {
      data[i * 3] = rgba[i * 4];
      data[i * 3 + 1] = rgba[i * 4 + 1];
      data[i * 3 + 2] = rgba[i * 4 + 2];
    }
  } else {
    // ITU-R BT.601 luma, as PIL's convert('L').
    for (let i = 0; i < n; i++) {
      data[i] = Math.round((rgba[i * 4] * 299 + rgba[i * 4 + 1] * 587 + rgba[i * 4 + 2] * 114) / 1000);
    }
  }
  return {data, height, width, channels};
}

/**
 * Bilinear resize with half-pixel centres (torchvision / tf.image.resize without antialiasing),
 * for any element type. Writes into `out` (outH × outW × c) and returns it. The column taps are
 * computed once per call, not per pixel.
 */
export function resizeBilinear<T extends Uint8Array | Float32Array>(
  src: ArrayLike<number>, h: number, w: number, c: number, outH: number, outW: number, out: T): T {
  const round = out instanceof Uint8Array;
  const x0s = new Int32Array(outW);
  const x1s = new Int32Array(outW);
  const wxs = new Float32Array(outW);
  for (let x = 0; x < outW; x++) {
    const fx = Math.max(0, (x + 0.5) * (w / outW) - 0.5);
    const x0 = Math.min(Math.floor(fx), w - 1);
    x0s[x] = x0 * c;
    x1s[x] = Math.min(x0 + 1, w - 1) * c;
    wxs[x] = fx - x0;
  }
  for (let y = 0; y < outH; y++) {
    const fy = Math.max(0, (y + 0.5) * (h / outH) - 0.5);
    const y0 = Math.min(Math.floor(fy), h - 1);
    const wy = fy - y0;
    const r0 = y0 * w * c;
    const r1 = Math.min(y0 + 1, h - 1) * w * c;
    let o = y * outW * c;
    for (let x = 0; x < outW; x++) {
      const a = r0 + x0s[x], b = r0 + x1s[x], d = r1 + x0s[x], e = r1 + x1s[x];
      const wx = wxs[x];
      for (let k = 0; k < c; k++, o++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * wx;
        const bottom = src[d + k] + (src[e + k] - src[d + k]) * wx;
        const v = top + (bottom - top) * wy;
        out[o] = round ? Math.round(v) : v;
      }
    }
  }
  return out;
}

/** The image at `height`×`width`, resized when it differs (a copy only when needed). */
export function fitImage(img: RawImage, height: number, width: number): Uint8Array {
  if (img.height === height && img.width === width) return img.data;
  return resizeBilinear(img.data, img.height, img.width, img.channels, height, width, new Uint8Array(height * width * img.channels));
}
