// A generated torchvision-layout checkpoint for the fine-tune tests (not a test file itself).
import {createHash} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {pretrainedInfo, type PretrainedWeights} from '../../src/models/pretrained';
import {buildModel} from '../../src/models/registry';
import {writeSafetensors, type NamedTensor} from '../../src/models/safetensors';
import {exportTorchStateDict} from '../../src/models/torch_names';
import {Rng} from '../../src/util/rng';

/**
 * Our resnet18 (1000 classes, seeded init) exported as a torch state dict into `dir`, with random
 * BatchNorm statistics and affine parameters so that every kind of tensor is distinguishable
 * after loading, plus a registry entry `resnet18.tv_in1k` that points at it with its own sha256
 * prefix (the pinned file needs the internet). Safetensors: the loader tells formats by content.
 */
export function writeResnet18Checkpoint(dir: string, seed = 7): {entry: PretrainedWeights; tensors: Map<string, NamedTensor>} {
  const model = buildModel('resnet18', {seed});
  const rng = new Rng(seed + 1);
  const tensors = exportTorchStateDict(model).map((t) => {
    if (!/\.(running_mean|running_var|bias)$/.test(t.name) && !/bn\d\.weight|downsample\.1\.weight/.test(t.name)) return t;
    const data = t.data.map(() => (t.name.endsWith('running_var') ? 0.5 + rng.next() : rng.next() - 0.5));
    return {...t, data};
  });
  model.dispose();
  const bytes = writeSafetensors(tensors);
  const hex = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  const file = `resnet18-${hex}.safetensors`;
  writeFileSync(join(dir, file), bytes);
  const entry = {...pretrainedInfo('resnet18.tv_in1k'), file, checksum: {algorithm: 'sha256-prefix' as const, hex}};
  return {entry, tensors: new Map(tensors.map((t) => [t.name, t]))};
}
