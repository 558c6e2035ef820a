import {EXPERIMENTS} from '../../experiments/index';
import type {ExperimentContext} from '../../experiments/data_choice';
import type {Profile} from '../../experiments/profile';
import type {ExperimentSpec} from '../../experiments/types';
import {canonicalJson} from '../util/canonical_json';
import {ReproError} from '../util/errors';
import {codeVersion} from '../runs/code_version';
import type {RunDeps} from '../runs/ensure_run';
import type {RunSpec} from '../runs/spec';
import type {RunStore} from '../runs/store';

/** One run an experiment asked for. Identical specs of different experiments share one training (`hash`). */
export interface PlannedRun {
  readonly experiment: string;
  readonly name: string;
  readonly spec: RunSpec;
  readonly hash: string;
  readonly cached: boolean;
}

/** One distinct training: the first spec asking for it, and its size for the ETA. */
export interface Training {
  readonly spec: RunSpec;
  readonly hash: string;
  readonly cached: boolean;
  /** The checksum of the data it trains on (part of the hash). */
  readonly dataChecksum: string;
  /** Set when the result comes from `repro store import` and was trained by another code version. */
  readonly importedFrom?: string;
  /** epochs × training images × depth: proportional to its cost, for the progress ETA. */
  readonly work: number;
}

export interface ProfilePlan {
  readonly profile: Profile;
  readonly ctx: ExperimentContext;
  readonly experiments: readonly ExperimentSpec[];
  readonly runs: readonly PlannedRun[];
  readonly trainings: readonly Training[];
}

/**
 * The experiments named by --only (experiment ids like B1B2 or claim ids like B2, any case);
 * all of them when `only` is empty. An unknown id is an error listing the known ones.
 */
export function selectExperiments(only: readonly string[] = []): ExperimentSpec[] {
  if (only.length === 0) return [...EXPERIMENTS];
  const wanted = new Set(only.map((s) => s.trim().toUpperCase()).filter(Boolean));
  const picked = EXPERIMENTS.filter((e) => wanted.has(e.id.toUpperCase()) || e.claims.some((c) => wanted.has(c.id.toUpperCase())));
  const known = new Set(EXPERIMENTS.flatMap((e) => [e.id.toUpperCase(), ...e.claims.map((c) => c.id.toUpperCase())]));
  const unknown = [...wanted].filter((w) => !known.has(w));
  if (unknown.length) {
    throw new ReproError(`--only: unknown experiment or claim id ${unknown.map((u) => `"${u}"`).join(', ')}`,
      {expected: `experiment ids ${EXPERIMENTS.map((e) => e.id).join(', ')} or claim ids ${EXPERIMENTS.flatMap((e) => e.claims.map((c) => c.id)).join(', ')}`,
        fix: 'separate several with commas, e.g. --only A,B1B2'});
  }
  return picked;
}

/** The spec without what only names it (experiment, name): two equal keys train the same thing. */
function contentKey(spec: RunSpec): string {
  const {experiment: _e, name: _n, ...rest} = spec;
  return canonicalJson(rest);
}

/** The first number in a model name (resnet56 → 56): the cost proxy of `Training.work`. */
export function depthOf(model: string): number {
  const m = /(\d+)/.exec(model);
  return m ? Number(m[1]) : 20;
}

/** Wraps prepareData so that each distinct data + augmentation is loaded once per process. */
export function memoizePrepareData(prepare: RunDeps['prepareData']): RunDeps['prepareData'] {
  const cache = new Map<string, ReturnType<RunDeps['prepareData']>>();
  return (spec) => {
    const key = canonicalJson({data: spec.data, augment: spec.augment});
    let p = cache.get(key);
    if (!p) {
      p = prepare(spec);
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return p;
  };
}

/**
 * Each distinct training of the profile → the spec it is stored under: that of the first experiment
 * (in the full list) that runs it. The hash names the experiment, so without this `--only B4` would
 * hash B4's plain-56 and ResNet-56 apart from the B1B2 runs they are, and train them a second time.
 */
function trainingOwners(profile: Profile, ctx: ExperimentContext): Map<string, RunSpec> {
  const owners = new Map<string, RunSpec>();
  for (const exp of EXPERIMENTS) {
    if (exp.notRun(profile, ctx)) continue;
    for (const spec of exp.runs(profile, ctx)) if (!owners.has(contentKey(spec))) owners.set(contentKey(spec), spec);
  }
  return owners;
}

/**
 * Expands every selected experiment's runs for the profile, hashes each (spec + code + data
 * identity, which loads the data once per distinct data spec), dedupes identical trainings and
 * marks what the store already holds.
 */
export async function planProfile(opts: {
  profile: Profile; ctx: ExperimentContext; experiments: readonly ExperimentSpec[]; store: RunStore;
  prepareData: RunDeps['prepareData'];
}): Promise<ProfilePlan> {
  const byContent = new Map<string, Training>();
  const runs: PlannedRun[] = [];
  const version = codeVersion();
  const owners = trainingOwners(opts.profile, opts.ctx);
  for (const exp of opts.experiments) {
    if (exp.notRun(opts.profile, opts.ctx)) continue;
    const names = new Set<string>();
    for (const spec of exp.runs(opts.profile, opts.ctx)) {
      if (spec.experiment !== exp.id) throw new Error(`experiment ${exp.id}: run ${spec.name} says experiment "${spec.experiment}"`);
      if (names.has(spec.name)) throw new Error(`experiment ${exp.id}: run name "${spec.name}" appears twice`);
      names.add(spec.name);
      const key = contentKey(spec);
      let t = byContent.get(key);
      if (!t) {
        const owner = owners.get(key) ?? spec;
        const data = await opts.prepareData(owner);
        const {hash, imported} = opts.store.resolve(owner, version, data.checksum);
        t = {spec: owner, hash, cached: opts.store.inspect(hash)?.result !== undefined, dataChecksum: data.checksum,
          work: owner.epochs * data.train.count * depthOf(owner.model), ...(imported ? {importedFrom: imported.codeVersion} : {})};
        byContent.set(key, t);
      }
      runs.push({experiment: exp.id, name: spec.name, spec, hash: t.hash, cached: t.cached});
    }
  }
  return {profile: opts.profile, ctx: opts.ctx, experiments: opts.experiments, runs, trainings: [...byContent.values()]};
}
