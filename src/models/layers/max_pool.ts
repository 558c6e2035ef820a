import * as tf from '@tensorflow/tfjs';

export interface TorchMaxPoolArgs {
  name: string;
  poolSize: number;
  strides: number;
  /** torch's `padding=p`: p rows and columns on every side, which never win the max (−∞). */
  padding: number;
}

/**
 * torch's nn.MaxPool2d(kernel, stride, padding) over NHWC, the padding inside the pooling op.
 * tfjs-layers' MaxPooling2D can only say 'same' (bottom/right padding only, on even inputs) or
 * 'valid'; padding in a layer of its own copied the input and sliced the gradient (1% of a
 * ResNet-50 step). After a ReLU the two give the same output, and the same gradient below that
 * ReLU up to the sign of zero: a window whose max is a padded zero holds only zeros, whose ReLU
 * gradient is 0 (−0 where the routed gradient is negative).
 */
export class TorchMaxPool2D extends tf.layers.Layer {
  static readonly className = 'TorchMaxPool2D';
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: number;

  constructor(args: TorchMaxPoolArgs) {
    super({name: args.name});
    if (2 * args.padding > args.poolSize) {
      throw new Error(`TorchMaxPool2D ${args.name}: padding ${args.padding} exceeds half the window ${args.poolSize}` +
        ' (torch refuses it too: a window could hold padding only)');
    }
    this.poolSize = args.poolSize;
    this.strides = args.strides;
    this.padding = args.padding;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.maxPool(x, this.poolSize, this.strides, this.padding);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (d: number | null) => d === null ? null : Math.floor((d + 2 * this.padding - this.poolSize) / this.strides) + 1;
    return [s[0], out(s[1]), out(s[2]), s[3]];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding};
  }
}
tf.serialization.registerClass(TorchMaxPool2D);
