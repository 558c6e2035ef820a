import * as tf from '@tensorflow/tfjs';
import type {NamedTensor} from './safetensors';

/**
 * The one-to-one map between the weights of a built model and torch state-dict keys. The layer
 * name is the key's module path; the parameter suffix and the layout come from the layer type:
 *
 *   Conv2D / GroupedConv2D  kernel [kh,kw,in/g,out] ↔ `.weight` [out,in/g,kh,kw]; bias ↔ `.bias`
 *   Dense                   kernel [in,out]         ↔ `.weight` [out,in];         bias ↔ `.bias`
 *   TorchBatchNorm          gamma, beta, movingMean, movingVariance
 *                           ↔ `.weight`, `.bias`, `.running_mean`, `.running_var` (the last two are
 *                             buffers, not parameters; torch's `.num_batches_tracked` has no twin)
 */
export interface TorchWeight {
  /** The state-dict key, e.g. `layer1.0.conv1.weight`. */
  readonly key: string;
  readonly layer: tf.layers.Layer;
  /** Index into `layer.weights`. */
  readonly index: number;
  /** torch counts parameters (`model.parameters()`), not buffers such as running statistics. */
  readonly kind: 'parameter' | 'buffer';
  readonly tfShape: readonly number[];
  readonly torchShape: readonly number[];
  readonly layout: 'conv' | 'dense' | 'vector';
}

const BN_SUFFIXES = ['weight', 'bias', 'running_mean', 'running_var'] as const;

export function torchWeights(model: tf.LayersModel): TorchWeight[] {
  const out: TorchWeight[] = [];
  for (const layer of model.layers) {
    const weights = layer.weights;
    if (weights.length === 0) continue;
    const cls = layer.getClassName();
    weights.forEach((w, index) => {
      const tfShape = w.shape as number[];
      if (cls === 'TorchBatchNorm') {
        out.push({key: `${layer.name}.${BN_SUFFIXES[index]}`, layer, index, kind: index < 2 ? 'parameter' : 'buffer',
          tfShape, torchShape: tfShape, layout: 'vector'});
      } else if (cls === 'Conv2D' || cls === 'GroupedConv2D') {
        const isKernel = index === 0;
        const [kh, kw, i, o] = tfShape;
        out.push({key: `${layer.name}.${isKernel ? 'weight' : 'bias'}`, layer, index, kind: 'parameter', tfShape,
          torchShape: isKernel ? [o, i, kh, kw] : tfShape, layout: isKernel ? 'conv' : 'vector'});
      } else if (cls === 'Dense') {
        const isKernel = index === 0;
        out.push({key: `${layer.name}.${isKernel ? 'weight' : 'bias'}`, layer, index, kind: 'parameter', tfShape,
          torchShape: isKernel ? [tfShape[1], tfShape[0]] : tfShape, layout: isKernel ? 'dense' : 'vector'});
      } else {
        throw new Error(`torchWeights: layer "${layer.name}" of class ${cls} has weights but no torch mapping`);
      }
    });
  }
  return out;
}

/** torch layout → tfjs layout (OIHW → HWIO, [out,in] → [in,out]). */
export function torchToTf(w: TorchWeight, data: Float32Array): Float32Array {
  if (w.layout === 'vector') return data;
  if (w.layout === 'dense') return transpose2d(data, w.torchShape[0], w.torchShape[1]);
  const [o, i, h, k] = w.torchShape;
  const out = new Float32Array(data.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < i; b++) {
      for (let c = 0; c < h; c++) {
        for (let d = 0; d < k; d++) out[((c * k + d) * i + b) * o + a] = data[((a * i + b) * h + c) * k + d];
      }
    }
  }
  return out;
}

/** tfjs layout → torch layout (HWIO → OIHW, [in,out] → [out,in]). */
export function tfToTorch(w: TorchWeight, data: Float32Array): Float32Array {
  if (w.layout === 'vector') return data;
  if (w.layout === 'dense') return transpose2d(data, w.tfShape[0], w.tfShape[1]);
  const [h, k, i, o] = w.tfShape;
  const out = new Float32Array(data.length);
  for (let c = 0; c < h; c++) {
    for (let d = 0; d < k; d++) {
      for (let b = 0; b < i; b++) {
        for (let a = 0; a < o; a++) out[((a * i + b) * h + c) * k + d] = data[((c * k + d) * i + b) * o + a];
      }
    }
  }
  return out;
}

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** The model's weights as a torch state dict (torch layouts and keys), e.g. for writeSafetensors. */
export function exportTorchStateDict(model: tf.LayersModel): NamedTensor[] {
  return torchWeights(model).map((w) => {
    const data = w.layer.weights[w.index].read().dataSync() as Float32Array;
    return {name: w.key, shape: w.torchShape, data: tfToTorch(w, Float32Array.from(data))};
  });
}
