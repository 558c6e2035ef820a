import {existsSync} from 'node:fs';
import {homedir} from 'node:os';
import {join, resolve} from 'node:path';
import type {ExpectedChecksum} from '../data/fetch';
import {dataRoot} from '../data/paths';
import {ReproError} from '../util/errors';

/**
 * ImageNet-pretrained weights the toolkit knows: torchvision's IMAGENET1K_V1 state dicts (timm
 * publishes the same tensors as `<model>.tv_in1k`, the names used here). The files are
 * torchvision's own `.pth` downloads; the pinned checksum is what torch.hub's `check_hash` checks,
 * the first 8 hex digits of the file's sha256 that torchvision puts in the file name. It lives in
 * this source file, so it is part of the training code version and hence of every run hash.
 *
 * `model` is our registry name: torchvision's resnet50/101/152 are "v1.5" (stride in the 3×3
 * conv), which is what our `resnet50` etc. build (`resnet50_v1` is the paper's layout, not these
 * weights' one).
 */
export interface PretrainedWeights {
  /** timm's name, e.g. 'resnet18.tv_in1k'. */
  readonly name: string;
  /** Our model registry name the state dict fits (src/models/registry.ts). */
  readonly model: string;
  /** torchvision's weights enum, for people who look it up there. */
  readonly torchvision: string;
  /** The file name (torchvision's, with the sha256 prefix in it). */
  readonly file: string;
  readonly url: string;
  readonly checksum: ExpectedChecksum;
  /** ImageNet-1K top-1 accuracy (%) torchvision publishes for these weights (provenance; not checked). */
  readonly imagenetTop1: number;
  /** Approximate download size in MB (torchvision's metadata; for messages only). */
  readonly approxMB: number;
}

const BASE = 'https://download.pytorch.org/models/';

function entry(name: string, torchvision: string, file: string, imagenetTop1: number, approxMB: number): PretrainedWeights {
  const prefix = /-([0-9a-f]{8})\.pth$/.exec(file);
  if (!prefix) throw new Error(`pretrained registry: ${file} has no 8-hex-digit sha256 prefix in its name`);
  return {name, model: name.slice(0, name.indexOf('.')), torchvision, file, url: `${BASE}${file}`,
    checksum: {algorithm: 'sha256-prefix', hex: prefix[1]}, imagenetTop1, approxMB};
}

/** Pinned sources (torchvision 0.14 `models/resnet.py`, IMAGENET1K_V1). */
export const PRETRAINED: readonly PretrainedWeights[] = [
  entry('resnet18.tv_in1k', 'ResNet18_Weights.IMAGENET1K_V1', 'resnet18-f37072fd.pth', 69.758, 44.7),
  entry('resnet34.tv_in1k', 'ResNet34_Weights.IMAGENET1K_V1', 'resnet34-b627a593.pth', 73.314, 83.3),
  entry('resnet50.tv_in1k', 'ResNet50_Weights.IMAGENET1K_V1', 'resnet50-0676ba61.pth', 76.130, 97.8),
  entry('resnet101.tv_in1k', 'ResNet101_Weights.IMAGENET1K_V1', 'resnet101-63fe2227.pth', 77.374, 170.5),
  entry('resnet152.tv_in1k', 'ResNet152_Weights.IMAGENET1K_V1', 'resnet152-394f9c45.pth', 78.312, 230.4),
  entry('resnext50_32x4d.tv_in1k', 'ResNeXt50_32X4D_Weights.IMAGENET1K_V1', 'resnext50_32x4d-7cdf4587.pth', 77.618, 95.8),
];

export function pretrainedNames(): string[] {
  return PRETRAINED.map((p) => p.name);
}

/** The registry entry of `name`, or a ReproError listing the known names. */
export function pretrainedInfo(name: string, registry: readonly PretrainedWeights[] = PRETRAINED): PretrainedWeights {
  const info = registry.find((p) => p.name === name);
  if (!info) {
    throw new ReproError(`unknown pretrained weights "${name}"`,
      {expected: `one of ${registry.map((p) => p.name).join(', ')}`, fix: 'run `repro weights list`'});
  }
  return info;
}

/** The env var that moves the weights directory (like CIFAR10_DIR for a data set). */
export const WEIGHTS_ENV = 'REPRO_WEIGHTS_DIR';

/** The project's own copy: data/weights/ (under REPRO_DATA_ROOT when set). */
export function defaultWeightsDir(): string {
  return join(dataRoot(), 'weights');
}

/** torch.hub's checkpoint cache ($TORCH_HOME or $XDG_CACHE_HOME/torch or ~/.cache/torch, then hub/checkpoints). */
export function torchHubCheckpointsDir(): string {
  const torchHome = process.env.TORCH_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'torch');
  return join(torchHome, 'hub', 'checkpoints');
}

/** How the weights file was found: --dir, $REPRO_WEIGHTS_DIR, data/weights/, or torch.hub's cache (read only). */
export type WeightsOrigin = 'option' | 'env' | 'data' | 'torch-hub';
export interface ResolvedWeights {
  readonly path: string;
  readonly origin: WeightsOrigin;
  readonly present: boolean;
}

/**
 * Where a weights file is read from, first match wins: `--dir` > $REPRO_WEIGHTS_DIR > data/weights/
 * > torch.hub's cache (a torchvision user may already have the file there). An explicit --dir or
 * env var wins even when the file is not there. Cheap: nothing is read or hashed.
 */
export function resolveWeightsFile(info: PretrainedWeights, opts: {dir?: string} = {}): ResolvedWeights {
  const at = (dir: string, origin: WeightsOrigin): ResolvedWeights => {
    const path = join(resolve(dir), info.file);
    return {path, origin, present: existsSync(path)};
  };
  if (opts.dir) return at(opts.dir, 'option');
  const env = process.env[WEIGHTS_ENV];
  if (env) return at(env, 'env');
  const own = at(defaultWeightsDir(), 'data');
  if (own.present) return own;
  const hub = at(torchHubCheckpointsDir(), 'torch-hub');
  return hub.present ? hub : own;
}

/** Where `repro weights fetch` writes: --dir, else $REPRO_WEIGHTS_DIR, else data/weights/. */
export function weightsFetchDir(opts: {dir?: string} = {}): string {
  return resolve(opts.dir ?? process.env[WEIGHTS_ENV] ?? defaultWeightsDir());
}

/** The command that fetches the given weights (for 'not run' reasons and error messages). */
export function fetchWeightsCommand(names: readonly string[]): string {
  return `npx repro weights fetch ${names.join(' ')}`;
}
