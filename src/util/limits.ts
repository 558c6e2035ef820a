import {ReproError} from './errors';

/**
 * Every resource bound the toolkit applies to input it did not make (data archives, images,
 * weights files, downloads): one table, each with a default and the environment variable that
 * raises it. A bound that is hit is a ReproError naming the file, the limit and the variable, never
 * an out-of-memory crash or a wait without end. SECURITY.md lists them.
 */
export interface LimitInfo {
  readonly env: string;
  readonly defaultValue: number;
  readonly unit: 'bytes' | 'pixels' | 'ms' | 'factor';
  readonly what: string;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const LIMITS = {
  decompressedBytes: {env: 'REPRO_MAX_DECOMPRESSED_BYTES', defaultValue: 2 * GiB, unit: 'bytes',
    what: 'bytes one compressed file (gzip, zip member or zip archive in total, PNG image data) may expand to, when its data set does not state its size'},
  imagePixels: {env: 'REPRO_MAX_IMAGE_PIXELS', defaultValue: 50_000_000, unit: 'pixels',
    what: 'width × height of one image (decoding costs 4 bytes per pixel)'},
  downloadBytes: {env: 'REPRO_MAX_DOWNLOAD_BYTES', defaultValue: 4 * GiB, unit: 'bytes',
    what: 'bytes one download may have, when the registry does not state the file\'s size'},
  connectTimeoutMs: {env: 'REPRO_HTTP_CONNECT_TIMEOUT_MS', defaultValue: 30_000, unit: 'ms',
    what: 'time to connect and receive the response headers of an HTTP request'},
  idleTimeoutMs: {env: 'REPRO_HTTP_IDLE_TIMEOUT_MS', defaultValue: 60_000, unit: 'ms',
    what: 'time an HTTP transfer may go without receiving a byte'},
  runImageBytes: {env: 'REPRO_MAX_RUN_IMAGE_BYTES', defaultValue: 8 * GiB, unit: 'bytes',
    what: 'bytes of images a run spec makes the run generate (synthetic data)'},
  weightsExpansion: {env: 'REPRO_MAX_WEIGHTS_EXPANSION', defaultValue: 4, unit: 'factor',
    what: 'memory a weights file may be decoded into, as a multiple of its size (plus 64 MiB)'},
} as const satisfies Record<string, LimitInfo>;

export type LimitName = keyof typeof LIMITS;

/** The limit in force: the environment variable when set (a positive number), else the default. */
export function limit(name: LimitName, env: NodeJS.ProcessEnv = process.env): number {
  const info: LimitInfo = LIMITS[name];
  const raw = env[info.env];
  if (raw === undefined || raw === '') return info.defaultValue;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ReproError(`${info.env}="${raw}" is not a positive number`,
      {expected: `a positive number of ${info.unit} (${info.what}; default ${info.defaultValue})`, fix: `unset ${info.env} or set it to a positive number`});
  }
  return n;
}

/** The error for a bound that was hit: what, where, the limit, and how to raise it. */
export function limitError(name: LimitName, where: string, found: string): ReproError {
  const info: LimitInfo = LIMITS[name];
  return new ReproError(`${where}: ${found}, over the limit of ${limit(name)} ${info.unit} (${info.what})`,
    {expected: `at most ${limit(name)} ${info.unit}`,
      fix: `if the input is trusted and really this large, raise the limit: ${info.env}=N (see SECURITY.md)`});
}

/** Bytes a weights file of `fileBytes` may be decoded into (tensors and storages together). */
export function weightsBudget(fileBytes: number): number {
  return limit('weightsExpansion') * fileBytes + 64 * MiB;
}
