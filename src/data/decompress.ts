import {gunzipSync} from 'node:zlib';
import {ReproError} from '../util/errors';
import {limit, limitError} from '../util/limits';

/**
 * gunzip with a bound on the output, checked by zlib while it inflates (a 1 MB gzip can expand to
 * gigabytes): `maxBytes` is the data set's known size where there is one, else the
 * REPRO_MAX_DECOMPRESSED_BYTES limit. Over the bound, or corrupt, is a ReproError naming `file`.
 */
export function gunzipBounded(bytes: Uint8Array, file: string, maxBytes?: number): Buffer {
  const bound = Math.min(maxBytes ?? Infinity, limit('decompressedBytes'));
  try {
    return gunzipSync(bytes, {maxOutputLength: bound});
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      if (maxBytes !== undefined && maxBytes < limit('decompressedBytes')) {
        throw new ReproError(`${file}: decompresses to more than ${maxBytes} bytes, the size of this data set's file`,
          {expected: `at most ${maxBytes} bytes once decompressed`, fix: 'the file is not the data set it is named for: delete it and fetch it again'});
      }
      throw limitError('decompressedBytes', file, 'decompresses to more bytes than allowed');
    }
    throw new ReproError(`${file}: the gzip stream is corrupt or truncated (${(err as Error).message})`,
      {expected: 'a complete gzip file', fix: 'delete it and fetch it again (`repro data fetch NAME`)', cause: err});
  }
}
