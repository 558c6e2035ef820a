import {strict as assert} from 'node:assert';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {buildPretrainedModel} from '../../src/models/fine_tune';
import {torchToTf, torchWeights} from '../../src/models/torch_names';
import {ReproError} from '../../src/util/errors';
import {writeResnet18Checkpoint} from './pretrained_fixture';

function throwsRepro(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ReproError, `expected a ReproError, got ${String(err)}`);
    for (const p of parts) assert.ok(err.message.includes(p), `message lacks "${p}":\n${err.message}`);
    return true;
  });
}

describe('models/fine_tune: pretrained weights with a new classifier', function () {
  this.timeout(120_000);
  let dir: string;
  let ckpt: ReturnType<typeof writeResnet18Checkpoint>;
  const opts = () => ({pretrained: 'resnet18.tv_in1k', seed: 3, inputShape: [32, 32, 3] as const, numClasses: 10, dir, registry: [ckpt.entry]});

  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'repro-finetune-'));
    ckpt = writeResnet18Checkpoint(dir);
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('loads every tensor but fc exactly; fc is new: [512 → 10], U(±1/√512) from the seed, deterministic', () => {
    const model = buildPretrainedModel('resnet18', opts());
    const weights = torchWeights(model);
    for (const w of weights.filter((x) => !x.key.startsWith('fc.'))) {
      const file = ckpt.tensors.get(w.key)!;
      assert.deepEqual(Array.from(w.layer.weights[w.index].read().dataSync()), Array.from(torchToTf(w, file.data)), w.key);
    }
    const fc = weights.filter((x) => x.key.startsWith('fc.'));
    assert.deepEqual(fc.map((w) => [w.key, w.torchShape]), [['fc.weight', [10, 512]], ['fc.bias', [10]]]);
    const values = fc.map((w) => Array.from(w.layer.weights[w.index].read().dataSync()));
    const bound = 1 / Math.sqrt(512);
    for (const v of values) {
      assert.ok(v.every((x) => Math.abs(x) <= bound), 'outside U(±1/√512)');
      assert.ok(Math.max(...v.map(Math.abs)) > 0.8 * bound, 'not spread over the bound');
    }
    model.dispose();
    const again = buildPretrainedModel('resnet18', opts());
    assert.deepEqual(torchWeights(again).filter((x) => x.key.startsWith('fc.')).map((w) => Array.from(w.layer.weights[w.index].read().dataSync())), values);
    again.dispose();
    const other = buildPretrainedModel('resnet18', {...opts(), seed: 4});
    assert.notDeepEqual(Array.from(other.getLayer('fc').getWeights()[1].dataSync()), values[1]);
    other.dispose();
  });

  it('a missing file names it and the `repro weights fetch` command', () => {
    throwsRepro(() => buildPretrainedModel('resnet18', {...opts(), dir: join(dir, 'nowhere')}),
      'pretrained weights resnet18.tv_in1k are not present', join(dir, 'nowhere', ckpt.entry.file), 'npx repro weights fetch resnet18.tv_in1k');
  });

  it('a file that does not match the pinned checksum is refused, naming both and the fix', () => {
    const bad = mkdtempSync(join(tmpdir(), 'repro-finetune-bad-'));
    try {
      writeFileSync(join(bad, ckpt.entry.file), 'substituted');
      throwsRepro(() => buildPretrainedModel('resnet18', {...opts(), dir: bad}), 'checksum mismatch for resnet18.tv_in1k',
        `sha256 starting with ${ckpt.entry.checksum.hex}`, 'npx repro weights fetch resnet18.tv_in1k');
    } finally {
      rmSync(bad, {recursive: true, force: true});
    }
  });

  it('refuses weights of another architecture and single-channel input', () => {
    throwsRepro(() => buildPretrainedModel('resnet34', opts()), 'model "resnet34" cannot start from resnet18.tv_in1k', 'set the run\'s model to "resnet18"');
    throwsRepro(() => buildPretrainedModel('resnet18', {...opts(), inputShape: [28, 28, 1]}), 'needs RGB input', '1 channel');
  });
});
