import {strict as assert} from 'node:assert';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {REPO_ROOT} from '../../src/runs/code_version';
import {loadTorchStateDict, parseTorchWeights} from '../../src/models/import_torch';
import {readPth} from '../../src/models/pth';
import {writeSafetensors} from '../../src/models/safetensors';
import {ReproError} from '../../src/util/errors';

/** Written by scripts/make_pth_fixtures.py (/usr/bin/python3, torch 1.13); expected.json holds what torch saved. */
const DIR = join(REPO_ROOT, 'test', 'fixtures', 'pth');
type Expected = Record<string, Record<string, {shape: number[]; dtype: 'F32' | 'I64'; values: number[]}>>;
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected;
const read = (name: string) => readPth(readFileSync(join(DIR, name)), name);

function rejects(name: string, ...parts: (string | RegExp)[]): void {
  assert.throws(() => read(name), (err: unknown) => {
    assert.ok(err instanceof ReproError, `expected a ReproError, got ${String(err)}`);
    assert.ok(err.message.includes(name), `the message does not name the file:\n${err.message}`);
    for (const p of parts) assert.ok(typeof p === 'string' ? err.message.includes(p) : p.test(err.message), `message lacks ${p}:\n${err.message}`);
    assert.match(err.message, /what to do:/);
    return true;
  });
}

describe('models/pth: reading torch.save state dicts', () => {
  for (const file of ['basic.pth', 'views.pth', 'module.pth']) {
    it(`${file}: every tensor with torch's keys (in order), shapes, dtypes and exact values`, () => {
      const got = read(file);
      const want = expected[file];
      assert.deepEqual(got.map((t) => t.name), Object.keys(want));
      for (const t of got) {
        const w = want[t.name];
        assert.deepEqual([...t.shape], w.shape, `${t.name}: shape`);
        assert.equal(t.dtype ?? 'F32', w.dtype, `${t.name}: dtype`);
        assert.ok(t.data instanceof Float32Array);
        // float32 values compare exactly; int64 ones as the float32 nearest (2^40 + 3 is not representable).
        assert.deepEqual(Array.from(t.data), w.values.map((v) => Math.fround(v)), `${t.name}: values`);
      }
    });
  }

  it('views of one storage are independent copies (a shared storage is decoded once, not aliased)', () => {
    const got = read('views.pth');
    const base = got.find((t) => t.name === 'base')!;
    const row = got.find((t) => t.name === 'row')!;
    row.data[0] = 1e6;
    assert.notEqual(base.data[10], 1e6);
  });

  it('module.pth loads into a model through loadTorchStateDict (the same path as safetensors)', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({shape: [5, 5, 3]});
    const conv = tf.layers.conv2d({name: '0', filters: 4, kernelSize: 3, useBias: false}).apply(input) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({name: '2'}).apply(conv) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: tf.layers.dense({name: '3', units: 2}).apply(flat) as tf.SymbolicTensor});
    const tensors = parseTorchWeights(readFileSync(join(DIR, 'module.pth')), 'module.pth');
    // The file also holds BatchNorm "1.*", which this model lacks: an error naming it; without it the load succeeds.
    assert.throws(() => loadTorchStateDict(model, tensors, 'module.pth'), /unexpected tensors "1\.weight"/);
    loadTorchStateDict(model, tensors.filter((t) => !t.name.startsWith('1.')), 'module.pth');
    const bias = model.getLayer('3').getWeights()[1].dataSync();
    assert.deepEqual(Array.from(bias), expected['module.pth']['3.bias'].values.map((v) => Math.fround(v)));
    model.dispose();
  });

  it('parseTorchWeights tells .pth from safetensors by content, even a safetensors header whose first byte is 0x80', () => {
    assert.equal(parseTorchWeights(readFileSync(join(DIR, 'basic.pth')), 'x.bin')[0].name, 'weight');
    // A header of 384 bytes (0x180) starts with the byte 0x80, as a pickle does.
    const name = 'n'.repeat(384 - '{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'.length);
    const st = writeSafetensors([{name, shape: [1], data: new Float32Array([2.5])}]);
    assert.equal(st[0], 0x80);
    assert.deepEqual(Array.from(parseTorchWeights(st, 'x.pth')[0].data), [2.5]);
    assert.throws(() => parseTorchWeights(readFileSync(join(DIR, 'legacy.pth')), 'legacy.pth'), /legacy torch\.save format/);
  });

  it('refuses the legacy (pre-1.6) format, naming the file and how to convert it', () => {
    rejects('legacy.pth', 'legacy torch.save format', 'torch.save(torch.load(OLD), NEW)');
  });

  it('refuses a float64 storage, naming the supported types', () => {
    rejects('float64.pth', 'storage type torch.DoubleStorage', 'torch.FloatStorage and torch.LongStorage', 'v.float()');
  });

  it('refuses a pickled nn.Module (an unknown global), naming it', () => {
    rejects('whole_module.pth', 'torch.nn.modules.linear.Linear');
  });

  it('refuses a file that is not a zip, and a truncated archive, naming the file', () => {
    assert.throws(() => readPth(new Uint8Array([1, 2, 3, 4, 5]), 'junk.pth'), (e: unknown) => e instanceof ReproError && /junk\.pth: is not a zip/.test(e.message));
    const bytes = readFileSync(join(DIR, 'basic.pth'));
    assert.throws(() => readPth(bytes.subarray(0, bytes.length - 30), 'cut.pth'),
      (e: unknown) => e instanceof ReproError && /cut\.pth: not a readable torch\.save zip archive/.test(e.message));
  });

  it('refuses an unknown pickle opcode, naming it and its position', () => {
    const bytes = Buffer.from(readFileSync(join(DIR, 'basic.pth')));
    // Corrupt the first opcode after PROTO 2 in data.pkl: 0x8f is EMPTY_SET, which a state dict never uses.
    const at = bytes.indexOf(Buffer.from('basic/data.pkl')) + 'basic/data.pkl'.length;
    const start = bytes.indexOf(Buffer.from([0x80, 0x02]), at);
    bytes[start + 2] = 0x8f;
    assert.throws(() => readPth(bytes, 'opcode.pth'),
      (e: unknown) => e instanceof ReproError && /opcode\.pth.*unsupported pickle opcode 0x8f \(EMPTY_SET\) at byte 2/.test(e.message));
  });
});
