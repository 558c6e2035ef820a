/**
 * The data contract between loaders (one file per data set) and the trainer. Images stay uint8
 * NHWC in memory (CIFAR-10 train is 150 MB as uint8, 600 MB as float32); batches are converted
 * to float32 one at a time by the augmentation code.
 */

/** A labelled image set held in memory. */
export interface ImageSet {
  /** count × height × width × channels bytes, NHWC, row-major. */
  readonly images: Uint8Array;
  /** One class index per image, in [0, classes.length). */
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Class names, index = label. */
  readonly classes: readonly string[];
}

/** A data set as loaded: its splits and the identity of the bytes they came from. */
export interface LoadedDataset {
  /** Registry name, e.g. 'cifar10', 'fashion-mnist', 'tiny-imagenet', 'synthetic'. */
  readonly name: string;
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** A held-out validation split when the data set ships one (Tiny-ImageNet's val/). */
  readonly val?: ImageSet;
  /** Content identity: sha256 over the source files (or the generator parameters for synthetic data). */
  readonly checksum: string;
  /** Where it was read from (a directory, or a description for generated data). */
  readonly source: string;
}

/** How a batch is made from uint8 images: the papers' augmentations, all seeded. Data, not code. */
export interface AugmentSpec {
  /** Zero-pad by this many pixels then take a random crop of the original size (4 in the ResNet paper). */
  readonly padCrop?: number;
  /** Random horizontal flip with probability 0.5. */
  readonly hflip?: boolean;
  /** Random vertical flip with probability 0.5 (seed 003). */
  readonly vflip?: boolean;
  /** Resize (bilinear) to a square side before anything else (64×64 → 224×224, 28×28 → 32×32). */
  readonly resize?: number;
  /**
   * 'per-pixel-mean': subtract the training set's mean image, scaled to [0,1] (the ResNet paper);
   * 'scale01': x/255 (seed 003's Rescaling); 'imagenet': torchvision's mean/std per channel.
   */
  readonly normalize: 'per-pixel-mean' | 'scale01' | 'imagenet';
}
