import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {checksumMatches, describeChecksum, digestAlgorithm, downloadFile, hashFile, mirrorUrl} from '../data/fetch';
import {ReproError} from '../util/errors';
import {loadTorchStateDict, parseTorchWeights} from './import_torch';
import {buildModel} from './registry';
import {
  PRETRAINED, fetchWeightsCommand, pretrainedInfo, resolveWeightsFile, weightsFetchDir,
  type PretrainedWeights, type WeightsOrigin,
} from './pretrained';

/** Options shared by fetch, verify and list; `registry` lets tests substitute entries for generated files. */
export interface WeightsOptions {
  readonly dir?: string;
  readonly registry?: readonly PretrainedWeights[];
}

export interface FetchedWeights {
  readonly name: string;
  readonly path: string;
  /** 'present': already there with the right checksum (also in torch.hub's cache); 'downloaded': fetched now. */
  readonly status: 'present' | 'downloaded';
}

/**
 * Downloads one weights file into --dir / $REPRO_WEIGHTS_DIR / data/weights/ through downloadFile
 * (.part, HTTP Range resume, checksum, atomic rename). `url` is a mirror's base URL the file name
 * is appended to. A copy already in torch.hub's cache with the right checksum is used as it is.
 */
export async function fetchPretrained(name: string, opts: WeightsOptions & {
  url?: string; progress?: NodeJS.WritableStream & {isTTY?: boolean}; retryDelayMs?: number; retries?: number;
} = {}): Promise<FetchedWeights> {
  const info = pretrainedInfo(name, opts.registry);
  const found = resolveWeightsFile(info, opts);
  if (found.present && found.origin === 'torch-hub' &&
      checksumMatches(info.checksum, await hashFile(found.path, digestAlgorithm(info.checksum)))) {
    return {name, path: found.path, status: 'present'};
  }
  const url = opts.url ? mirrorUrl(opts.url, info.file) : info.url;
  // torchvision's size (MiB) is rounded: 10% more is the most a download may bring.
  const r = await downloadFile({url, dest: join(weightsFetchDir(opts), info.file), checksum: info.checksum,
    progress: opts.progress, retryDelayMs: opts.retryDelayMs, retries: opts.retries, maxBytes: Math.ceil(info.approxMB * 1.1 * 2 ** 20) + 2 ** 20});
  return {name, path: r.path, status: r.status};
}

export interface VerifiedWeights {
  readonly name: string;
  readonly path: string;
  readonly origin: WeightsOrigin;
  /** The file's full sha256. */
  readonly sha256: string;
}

/** A missing weights file: the error names the file, where it was looked for and the fetch command. */
export function weightsMissing(info: PretrainedWeights, path: string): ReproError {
  return new ReproError(`pretrained weights ${info.name} are not present: ${path} does not exist`,
    {expected: `torchvision's ${info.torchvision} state dict (${info.file}, ≈ ${info.approxMB} MB) in --dir, ` +
      '$REPRO_WEIGHTS_DIR, data/weights/ or torch.hub\'s cache',
    fix: `run \`${fetchWeightsCommand([info.name])}\` (needs the internet), or copy ${info.file} from ${info.url} there`});
}

/** Throws a ReproError naming the file and both checksums unless `sha256` (the file's) matches the pinned one. */
export function requirePinnedChecksum(info: PretrainedWeights, path: string, sha256: string): void {
  if (checksumMatches(info.checksum, sha256)) return;
  throw new ReproError(`${path}: checksum mismatch for ${info.name}`,
    {expected: `${describeChecksum(info.checksum)} (torchvision's ${info.file}), got sha256 ${sha256}`,
      fix: `delete it and run \`${fetchWeightsCommand([info.name])}\``});
}

/** Checks a present weights file against its pinned checksum; a ReproError names the file and both checksums. */
export async function verifyPretrainedChecksum(name: string, opts: WeightsOptions = {}): Promise<VerifiedWeights> {
  const info = pretrainedInfo(name, opts.registry);
  const found = resolveWeightsFile(info, opts);
  if (!found.present) throw weightsMissing(info, found.path);
  const sha256 = await hashFile(found.path, 'sha256');
  requirePinnedChecksum(info, found.path, sha256);
  return {name, path: found.path, origin: found.origin, sha256};
}

/**
 * `repro weights verify`: the checksum, then the state dict is read and loaded into a freshly built
 * model of its architecture (every tensor present with torchvision's shape, nothing extra).
 */
export async function verifyPretrained(name: string, opts: WeightsOptions = {}): Promise<VerifiedWeights & {model: string; tensors: number}> {
  const info = pretrainedInfo(name, opts.registry);
  const ok = await verifyPretrainedChecksum(name, opts);
  const tensors = parseTorchWeights(readFileSync(ok.path), ok.path);
  const model = buildModel(info.model, {initialize: false});
  try {
    loadTorchStateDict(model, tensors, ok.path);
  } finally {
    model.dispose();
  }
  return {...ok, model: info.model, tensors: tensors.length};
}

export interface WeightsListEntry {
  readonly name: string;
  readonly model: string;
  readonly file: string;
  readonly path: string;
  readonly origin: WeightsOrigin;
  readonly present: boolean;
  readonly approxMB: number;
  readonly imagenetTop1: number;
  readonly url: string;
}

/** Every registered weights file: where it is (or would be), whether present. Cheap: nothing is read. */
export function listPretrained(opts: WeightsOptions = {}): WeightsListEntry[] {
  return (opts.registry ?? PRETRAINED).map((info) => {
    const r = resolveWeightsFile(info, opts);
    return {name: info.name, model: info.model, file: info.file, path: r.path, origin: r.origin, present: r.present,
      approxMB: info.approxMB, imagenetTop1: info.imagenetTop1, url: info.url};
  });
}
