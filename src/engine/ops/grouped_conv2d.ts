import * as tf from '@tensorflow/tfjs';

/**
 * A bias-free grouped 2-D convolution (torch's `groups`), NHWC, as one op. A backend may register
 * the three kernels below natively (cpu-native does, as one oneDNN primitive per direction);
 * elsewhere the same maths runs as `groups` separate convolutions on slices, concatenated.
 * Why an op of our own: tfjs has no `groups`, and ResNeXt-50's 32 groups as 32 convolutions plus
 * split and concat cost ~30× its FLOPs on CPU.
 *
 * Filter layout: [kh, kw, in/groups, out]; output channel g·out/groups + j belongs to group g
 * and sees input channels [g·in/groups, (g+1)·in/groups).
 *
 * Kernel contract (float32, attrs {strides, pad, groups}):
 *   ReproGroupedConv2D               inputs {x, filter}            output y
 *   ReproGroupedConv2DBackpropInput  inputs {dy, filter}, + inputShape   output dx
 *   ReproGroupedConv2DBackpropFilter inputs {x, dy}, + filterShape       output dfilter
 */
export const GROUPED_CONV2D = 'ReproGroupedConv2D';
export const GROUPED_CONV2D_BACKPROP_INPUT = 'ReproGroupedConv2DBackpropInput';
export const GROUPED_CONV2D_BACKPROP_FILTER = 'ReproGroupedConv2DBackpropFilter';

export interface GroupedConvAttrs {
  strides: number;
  pad: 'same' | 'valid';
  groups: number;
}

tf.registerGradient({
  kernelName: GROUPED_CONV2D,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter] = saved;
    const a = attrs as unknown as GroupedConvAttrs;
    const common = {strides: a.strides, pad: a.pad, groups: a.groups};
    return {
      x: () => tf.engine().runKernel(GROUPED_CONV2D_BACKPROP_INPUT, {dy: dy as tf.Tensor, filter},
        {...common, inputShape: x.shape} as unknown as tf.NamedAttrMap) as tf.Tensor,
      filter: () => tf.engine().runKernel(GROUPED_CONV2D_BACKPROP_FILTER, {x, dy: dy as tf.Tensor},
        {...common, filterShape: filter.shape} as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
  },
});

/** The composite form: `groups` convolutions on channel slices, concatenated (any backend). */
export function groupedConv2dComposite(x: tf.Tensor4D, filter: tf.Tensor4D, a: GroupedConvAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const xs = tf.split(x, a.groups, 3) as tf.Tensor4D[];
    const ks = tf.split(filter, a.groups, 3) as tf.Tensor4D[];
    return tf.concat(xs.map((xi, g) => tf.conv2d(xi, ks[g], a.strides, a.pad)), 3) as tf.Tensor4D;
  });
}

/** Grouped convolution of NHWC `x` with `filter` [kh, kw, in/groups, out]; differentiable in both. */
export function groupedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, a: GroupedConvAttrs): tf.Tensor4D {
  const cin = x.shape[3];
  const [, , fin, out] = filter.shape;
  if (cin % a.groups !== 0 || out % a.groups !== 0 || fin !== cin / a.groups) {
    throw new Error(`groupedConv2d: input channels ${cin}, filter [.., .., ${fin}, ${out}] and groups ${a.groups} ` +
      'do not fit (expected in and out divisible by groups and filter in = in/groups)');
  }
  if (a.groups === 1) return tf.conv2d(x, filter, a.strides, a.pad);
  if (tf.getKernel(GROUPED_CONV2D, tf.getBackend()) === undefined) return groupedConv2dComposite(x, filter, a);
  return tf.engine().runKernel(GROUPED_CONV2D, {x, filter}, a as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
