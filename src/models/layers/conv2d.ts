import * as tf from '@tensorflow/tfjs';

/** tfjs-layers' Conv2D class: its factory is public, the class itself is not exported. */
const TfConv2D = tf.layers.conv2d({filters: 1, kernelSize: 1}).constructor as
  new (args: Parameters<typeof tf.layers.conv2d>[0]) => tf.layers.Layer;

/** The fields of tfjs-layers' Conv that `call` reads (protected in its typings). */
interface ConvFields {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null | undefined;
  strides: number[];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: string;
  dilationRate: number[];
  activation: {getClassName(): string};
}

/**
 * tfjs-layers' Conv2D, except that a convolution without bias or activation (every conv before a
 * batch norm) runs as the plain conv2d op. tfjs-layers always runs the fused op, whose gradient
 * computes the input gradient even when nothing needs it: the first conv's gradient with respect
 * to the image cost 2.5% of a ResNet-50 step. The plain op's gradients are computed per input, on
 * demand, by the same kernels with the same arguments, so values and gradients are bit-identical.
 * Same class name, weights and config as tfjs's Conv2D.
 */
export class Conv2D extends TfConv2D {
  static readonly className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const f = this as unknown as ConvFields;
    if (f.bias != null || f.activation.getClassName() !== 'linear' || f.padding === 'causal' ||
      f.dataFormat !== 'channelsLast') {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      return tf.conv2d(x, f.kernel.read() as tf.Tensor4D, f.strides as [number, number], f.padding as 'valid' | 'same', 'NHWC',
        f.dilationRate as [number, number]);
    });
  }
}
