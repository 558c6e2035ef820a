import * as tf from '@tensorflow/tfjs';

type TfConv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/** tfjs-layers' Conv2D class: its factory is public, the class itself is not exported. */
const TfConv2D = tf.layers.conv2d({filters: 1, kernelSize: 1}).constructor as new (args: TfConv2DArgs) => tf.layers.Layer;

/** The fields of tfjs-layers' Conv that `call` reads (protected in its typings). */
interface ConvFields {
  kernel: tf.LayerVariable;
  filters: number;
  bias: tf.LayerVariable | null | undefined;
  kernelSize: number[];
  strides: number[];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: string;
  dilationRate: number[];
  activation: {getClassName(): string};
}

export type Conv2DArgs = TfConv2DArgs & {
  /**
   * torch's `padding=p`: p zero rows and columns on every side, inside the convolution (with
   * `padding: 'valid'`). tfjs-layers can only say 'same', which pads bottom/right only for a
   * stride-2 conv on an even input; padding in a layer of its own copies the input and, in the
   * backward pass, slices the gradient.
   */
  torchPadding?: number;
};

/**
 * tfjs-layers' Conv2D with two differences, neither of which changes a value (tested on cpu and
 * cpu-native). The plain op's gradients are tfjs's bits; with torchPadding, the kernel gradient on
 * cpu-native can differ in the last bits at some shapes (oneDNN sums the batch and pixels in an
 * order it chooses per geometry, and the padded input is another geometry), so runs trained before
 * and after it part in the last digits.
 * - A convolution without bias or activation (every conv before a batch norm) runs as the plain
 *   conv2d op. tfjs-layers always runs the fused op, whose gradient computes the input gradient
 *   even where nothing needs it: the stem's gradient with respect to the image cost 2.5% of a
 *   ResNet-50 step. The plain op's gradients are computed per input, on demand.
 * - `torchPadding`: torch's symmetric padding inside the convolution.
 * Same class name, weights and (without torchPadding) config as tfjs's Conv2D.
 */
export class Conv2D extends TfConv2D {
  static readonly className = 'Conv2D';
  readonly torchPadding: number;

  constructor(args: Conv2DArgs) {
    const {torchPadding, ...rest} = args;
    super(rest);
    this.torchPadding = torchPadding ?? 0;
    if (this.torchPadding > 0 && (rest.padding ?? 'valid') !== 'valid') {
      throw new Error(`Conv2D ${rest.name ?? ''}: torchPadding goes with padding 'valid', not '${rest.padding}'`);
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const f = this as unknown as ConvFields;
    const plain = f.bias == null && f.activation.getClassName() === 'linear' && f.padding !== 'causal' &&
      f.dataFormat === 'channelsLast';
    if (!plain && this.torchPadding === 0) return super.call(inputs, kwargs);
    if (!plain) throw new Error(`Conv2D ${this.name}: torchPadding is only implemented without bias or activation`);
    const p = this.torchPadding;
    const pad: Parameters<typeof tf.conv2d>[3] = p > 0 ? [[0, 0], [p, p], [p, p], [0, 0]] :
      f.padding as 'valid' | 'same';
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      return tf.conv2d(x, f.kernel.read() as tf.Tensor4D, f.strides as [number, number], pad, 'NHWC',
        f.dilationRate as [number, number]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    if (this.torchPadding === 0) return super.computeOutputShape(inputShape);
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const f = this as unknown as ConvFields;
    const out = (d: number | null, i: number) => d === null ? null :
      Math.floor((d + 2 * this.torchPadding - f.dilationRate[i] * (f.kernelSize[i] - 1) - 1) / f.strides[i]) + 1;
    return [s[0], out(s[1], 0), out(s[2], 1), f.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig();
    return this.torchPadding === 0 ? config : {...config, torchPadding: this.torchPadding};
  }
}
// Under tfjs's own name, so that a saved model's convs (torchPadding included) load as this class;
// for a stock config it computes tfjs's Conv2D's bits.
tf.serialization.registerClass(Conv2D as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
