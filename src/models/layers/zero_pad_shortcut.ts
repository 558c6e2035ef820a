import * as tf from '@tensorflow/tfjs';

export interface ZeroPadShortcutArgs {
  name: string;
  stride: 1 | 2;
  outChannels: number;
}

/**
 * The parameter-free option-A shortcut, exactly akamaster's LambdaLayer:
 * `F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes//4, planes//4))` — keep every other row and
 * column (from index 0) when the stride is 2, then pad the channel axis with zeros, half before and
 * half after (planes/4 each side when the width doubles). Generalised to any channel increase.
 */
export class ZeroPadShortcut extends tf.layers.Layer {
  static readonly className = 'ZeroPadShortcut';
  readonly stride: 1 | 2;
  readonly outChannels: number;

  constructor(args: ZeroPadShortcutArgs) {
    super({name: args.name});
    this.stride = args.stride;
    this.outChannels = args.outChannels;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const c = x.shape[3];
      // A 1×1 average pool with stride 2 is exactly x[:, ::2, ::2, :] and, unlike tf.stridedSlice,
      // has a gradient in tfjs.
      const sub = this.stride === 1 ? x : tf.avgPool(x, 1, 2, 'valid');
      const extra = this.outChannels - c;
      const before = Math.floor(extra / 2);
      return tf.pad(sub, [[0, 0], [0, 0], [0, 0], [before, extra - before]]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const sub = (d: number | null) => (d === null || this.stride === 1 ? d : Math.ceil(d / 2));
    return [s[0], sub(s[1]), sub(s[2]), this.outChannels];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), stride: this.stride, outChannels: this.outChannels};
  }
}
tf.serialization.registerClass(ZeroPadShortcut);
