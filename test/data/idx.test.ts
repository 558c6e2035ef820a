import {strict as assert} from 'node:assert';
import {encodeIdx, parseIdx} from '../../src/data/idx';
import {ReproError} from '../../src/util/errors';
import {gz} from './fixtures';

describe('data/idx', () => {
  it('parses gzipped and plain IDX files alike', () => {
    const data = Uint8Array.from({length: 2 * 3 * 4}, (_, i) => i * 5);
    const raw = encodeIdx([2, 3, 4], data);
    for (const bytes of [raw, gz(raw)]) {
      const a = parseIdx(bytes, 'x.idx', 3);
      assert.deepEqual(a.dims, [2, 3, 4]);
      assert.deepEqual([...a.data], [...data]);
    }
  });

  it('rejects a wrong magic number, naming the file and the expected magic', () => {
    const raw = encodeIdx([4], new Uint8Array(4));
    raw[2] = 0x0d; // float type instead of unsigned byte
    assert.throws(() => parseIdx(raw, 'labels.idx', 1), (err: unknown) => {
      assert.ok(err instanceof ReproError);
      assert.match(err.message, /^labels\.idx: wrong IDX magic number 0x00000d01/);
      assert.match(err.message, /expected: magic number 0x00000801/);
      return true;
    });
    // Images where labels are expected: the dimension count is part of the magic.
    assert.throws(() => parseIdx(encodeIdx([1, 2, 2], new Uint8Array(4)), 'l.idx', 1), /wrong IDX magic number 0x00000803/);
  });

  it('rejects truncated data and a corrupt gzip stream', () => {
    const raw = encodeIdx([10, 2, 2], new Uint8Array(40));
    assert.throws(() => parseIdx(raw.subarray(0, raw.length - 1), 'i.idx', 3), /i\.idx: IDX size mismatch/);
    const z = gz(raw);
    assert.throws(() => parseIdx(z.subarray(0, z.length - 10), 'i.idx.gz', 3), /i\.idx\.gz: the gzip stream is corrupt or truncated/);
  });
});
