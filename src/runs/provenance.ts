import {execFileSync} from 'node:child_process';
import {cpus} from 'node:os';
import {describeAdapter, type GpuAdapter} from '../engine/webgpu';
import {REPO_ROOT, tfjsVersion} from './code_version';

/** Where and with what a result was computed; stored in every result.json and shown in the report. */
export interface Provenance {
  readonly git: string;
  readonly dirty: boolean;
  readonly node: string;
  readonly tfjs: string;
  readonly backend: string;
  /** Why that backend was chosen (from the engine's selection). */
  readonly backendReason: string;
  readonly device: string;
  /** The kind of CPU (oneDNN's instruction-set level and caches; cpu_kind.ts): results repeat bit for bit only on the same kind. Absent in results from before 2026-12. */
  readonly cpu?: string;
  /** The WebGPU adapter the run trained on (vendor, architecture, driver, limits); webgpu runs only. */
  readonly adapter?: GpuAdapter;
  readonly threads: number;
  readonly codeVersion: string;
  /** Data set name → checksum of the bytes trained and tested on. */
  readonly data: Readonly<Record<string, string>>;
  readonly startedAt: string;
  readonly endedAt: string;
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore']}).toString().trim();
  } catch {
    return undefined;
  }
}

/**
 * The commit and whether the work tree's tracked files differ from it ('unknown' outside a git
 * checkout). Changes under reports/ (generated output, such as baselines being regenerated) do not count.
 */
export function gitState(): {git: string; dirty: boolean} {
  const head = git(['rev-parse', 'HEAD']);
  if (head === undefined) return {git: 'unknown (not a git checkout)', dirty: true};
  const status = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)reports']);
  return {git: head, dirty: status === undefined || status.length > 0};
}

/** The adapter and its limits in one line (report title page and appendix). */
export function adapterLine(a: GpuAdapter): string {
  return `${describeAdapter(a)}; limits ${Object.entries(a.limits).map(([k, v]) => `${k}=${v}`).join(', ')}`;
}

export function cpuModel(): string {
  const list = cpus();
  return list.length ? `${list[0].model.trim()} × ${list.length}` : 'unknown CPU';
}

export function nodeAndTfjs(): {node: string; tfjs: string} {
  return {node: process.version, tfjs: tfjsVersion()};
}
