import * as tf from '@tensorflow/tfjs';
import {torchWeights} from './torch_names';

/**
 * Parameter count as torchvision reports it: `sum(p.numel() for p in model.parameters())`, i.e.
 * every weight and bias including BN's affine gamma/beta, but not BN's running statistics
 * (buffers). Independent of which layers are marked trainable.
 */
export function countParams(model: tf.LayersModel): number {
  let n = 0;
  for (const w of torchWeights(model)) {
    if (w.kind === 'parameter') n += w.tfShape.reduce((a, b) => a * b, 1);
  }
  return n;
}

/**
 * Multiply-adds of one forward pass of one image at the model's input size, computed from the
 * built layers. Convention (the papers' "FLOPs" are multiply-adds): a conv costs
 * Hout·Wout·Cout·kh·kw·Cin/groups, a fully connected layer in·out; biases, BN, ReLU, additions,
 * pooling, padding and dropout are not counted.
 */
export function countMacs(model: tf.LayersModel): number {
  let n = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'Conv2D' || cls === 'GroupedConv2D') {
      const out = layer.outputShape as number[];
      const [kh, kw, inPerGroup] = layer.weights[0].shape as number[];
      n += out[1] * out[2] * out[3] * kh * kw * inPerGroup;
    } else if (cls === 'Dense') {
      const [fanIn, units] = layer.weights[0].shape as number[];
      n += fanIn * units;
    }
  }
  return n;
}
