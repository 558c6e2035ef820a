import {strict as assert} from 'node:assert';
import {ReproError} from '../../src/util/errors';
import {readSafetensors, writeSafetensors} from '../../src/models/safetensors';

describe('models/safetensors', () => {
  it('writes the format (LE header length, JSON header, 8-byte aligned data) and reads it back, F32 and I64', () => {
    const bytes = writeSafetensors([
      {name: 'a.weight', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5])},
      {name: 'a.num_batches_tracked', shape: [], data: new Float32Array([123456]), dtype: 'I64'},
    ], {format: 'pt'});
    const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    assert.equal((8 + headerLen) % 8, 0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLen)).toString('utf8'));
    assert.deepEqual(header['a.num_batches_tracked'], {dtype: 'I64', shape: [], data_offsets: [24, 32]});
    assert.deepEqual(header.__metadata__, {format: 'pt'});
    const back = readSafetensors(bytes, 'x.safetensors');
    assert.deepEqual(back.map((t) => [t.name, t.shape, Array.from(t.data)]),
      [['a.weight', [2, 3], [1, 2, 3, 4, 5, -6.5]], ['a.num_batches_tracked', [], [123456]]]);
  });

  it('rejects a header that does not fit, naming the file', () => {
    const bytes = writeSafetensors([{name: 't', shape: [4], data: new Float32Array(4)}]);
    assert.throws(() => readSafetensors(bytes.subarray(0, bytes.length - 4), 'cut.safetensors'),
      (err: unknown) => err instanceof ReproError && err.message.includes('cut.safetensors') && err.message.includes('"t"'));
  });
});
