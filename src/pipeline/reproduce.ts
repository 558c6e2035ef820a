import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {writeJsonAtomic} from '../util/atomic';
import {experimentContext, type ExperimentContext} from '../../experiments/data_choice';
import type {Profile} from '../../experiments/profile';
import type {ClaimVerdict, RunResults} from '../claims/claim';
import type {ReportInput} from '../report/model';
import type {ReportFiles} from '../report/write_report';
import {writeReport} from '../report/write_report';
import {REPO_ROOT} from '../runs/code_version';
import {defaultRunDeps} from '../runs/default_deps';
import type {RunDeps} from '../runs/ensure_run';
import {prepareTrainData} from '../runs/prepare_data';
import {cpuModel, gitState, nodeAndTfjs} from '../runs/provenance';
import {RunStore} from '../runs/store';
import {baselineDir, importResultFiles} from './baselines';
import {buildReportInput} from './build_input';
import {collectResults, evaluateProfile} from './evaluate';
import {memoizePrepareData, planProfile, selectExperiments, type ProfilePlan, type Training} from './plan';
import {missingSeconds} from './estimate';
import {describeChoice, fitWithin, trainWithin, type BudgetChoice} from './time_budget';
import {ReproError} from '../util/errors';
import {describeStranded, strandedCheckpoints} from './stranded_checkpoints';
import {localExecutor, type Executor, type ExecutorOutcome} from '../executors/executor';

export interface ReproduceOptions {
  readonly profile: Profile;
  readonly only?: readonly string[];
  /** Plan and evaluate what is cached; train nothing, write no report. */
  readonly dryRun?: boolean;
  /** Evaluate and report what is cached; train nothing (repro claims). */
  readonly noTraining?: boolean;
  readonly store?: RunStore;
  /** Default reports/<profile>/. */
  readonly outDir?: string;
  /** Skip the report files (repro claims). */
  readonly noReport?: boolean;
  /** The training wiring (backend, progress); created on first need by `makeDeps`. */
  readonly makeDeps?: () => Promise<RunDeps>;
  readonly ctx?: ExperimentContext;
  readonly log?: (line: string) => void;
  /** Where missing runs train (default: in this process). */
  readonly executor?: Executor;
  /** Train only the missing runs estimated to finish within this many seconds; defer the rest. */
  readonly within?: number;
}

export interface ReproduceOutcome {
  readonly plan: ProfilePlan;
  readonly trained: number;
  readonly claims: readonly ClaimVerdict[];
  readonly input: ReportInput;
  readonly files?: ReportFiles;
  /** What the executor did; `pending` when the runs were handed to a scheduler without waiting (no report then). */
  readonly execution?: ExecutorOutcome;
  /** Missing runs left for a later sitting by `within`. */
  readonly deferred?: readonly Training[];
}

export function defaultReportDir(profile: string): string {
  return join(REPO_ROOT, 'reports', profile);
}

/**
 * The whole pipeline: plan the profile's runs, train what the store lacks, evaluate every claim
 * and write reports/<profile>/. With everything cached it only reads results and renders.
 */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceOutcome> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const store = opts.store ?? new RunStore();
  const ctx = opts.ctx ?? experimentContext(opts.profile);
  let deps: RunDeps | undefined;
  const prepareData = memoizePrepareData(prepareTrainData);
  if (opts.profile === 'standard') {
    // The standard profile is trained over several sittings: its committed runs count as done.
    const dir = join(baselineDir('standard'), 'results');
    const imported = importResultFiles(dir, store);
    if (imported.added) log(`imported ${imported.added} committed standard runs from ${dir} (repro store import)`);
    for (const r of imported.refused) log(`warning: not imported: ${r}`);
  }
  const plan = await planProfile({profile: opts.profile, ctx, experiments: selectExperiments(opts.only), store, prepareData});
  const missing = plan.trainings.filter((t) => !t.cached).length;
  const older = plan.trainings.filter((t) => t.cached && t.importedFrom);
  if (older.length) log(`${older.length} runs come from imported results trained by earlier code versions (${[...new Set(older.map((t) => t.importedFrom))].join(', ')})`);
  // Only where runs may train: `claims` and `baselines --no-training` train nothing, so nothing starts from scratch.
  if (!opts.noTraining) for (const s of strandedCheckpoints(plan.trainings, store)) log(describeStranded(s));
  log(`profile ${opts.profile}: ${plan.experiments.length} experiments, ${plan.trainings.length} distinct runs ` +
    `(${plan.trainings.length - missing} cached, ${missing} to train); data: ${ctx.data.name}${ctx.data.note ? ` (${ctx.data.note})` : ''}`);
  const executor = opts.executor ?? localExecutor;
  const choice = opts.within !== undefined && !opts.noTraining && missing > 0 ? chooseWithin(plan, store, executor, opts.within) : undefined;
  if (choice) log(describeChoice(choice, opts.within ?? 0));
  let deferredRuns = choice?.deferred ?? [];
  let execution: ExecutorOutcome | undefined;
  if (!opts.dryRun) {
    // The backend is chosen even when nothing trains: claims measured in this process (A6, A7)
    // must run on the same engine whether or not the results were cached.
    const made = await (opts.makeDeps ?? defaultRunDeps)();
    // The plan already loaded the data through the same loader: reuse it rather than load it twice.
    deps = {...made, prepareData: made.prepareData === prepareTrainData ? prepareData : memoizePrepareData(made.prepareData)};
    const local = deps;
    const ectx = {store, log, deps: async () => local};
    if (choice) {
      ({outcome: execution, deferred: deferredRuns} = await trainWithin(plan, executor, ectx, opts.within ?? 0, choice));
    } else if (!opts.noTraining && missing > 0) {
      execution = await executor.trainMissing(plan, ectx);
    }
  }
  const deferred = deferredRuns.length ? {deferred: deferredRuns} : {};
  const trained = execution?.trained ?? 0;
  const results: ReadonlyMap<string, RunResults> = collectResults(plan, store);
  const claims = evaluateProfile(plan, results);
  const env = {...gitState(), ...nodeAndTfjs(), backend: deps?.backend.name ?? 'none (no training in this process)',
    device: deps?.backend.device ?? cpuModel(), threads: deps?.backend.threads ?? 0};
  const input = buildReportInput(plan, results, claims, env);
  if (opts.dryRun || opts.noReport || execution?.pending) return {plan, trained, claims, input, ...(execution ? {execution} : {}), ...deferred};
  const outDir = opts.outDir ?? defaultReportDir(opts.profile);
  const files = await writeReport(input, outDir);
  log(`report: ${files.pdf}`);
  // The runs a scheduler could not finish, beside the report whose claims lack them (state, exit code, log).
  const failedFile = join(outDir, 'failed-runs.json');
  if (execution?.failed.length) {
    writeJsonAtomic(failedFile, execution.failed);
    log(`${execution.failed.length} run(s) failed: ${failedFile}`);
  } else {
    rmSync(failedFile, {force: true}); // ours, from an earlier attempt that has since been repaired
  }
  if (deferredRuns.length) log(`${deferredRuns.length} run(s) deferred by --within: the same command trains them next`);
  return {plan, trained, claims, input, files, ...(execution ? {execution} : {}), ...deferred};
}

/** `within`'s choice, refused where it cannot be made honestly. */
function chooseWithin(plan: ProfilePlan, store: RunStore, executor: Executor, budget: number): BudgetChoice {
  if (executor.concurrency === undefined) {
    throw new ReproError(`--within applies to training on this machine, not to the ${executor.name} executor`,
      {fix: 'on Slurm, give each task its time limit instead: --slurm-args \'--time=HH:MM:SS\''});
  }
  const m = missingSeconds(plan.trainings, store);
  if (m === undefined) {
    throw new ReproError('--within needs an estimate of each run\'s time, and there is no finished run to scale it from',
      {fix: 'train one run first (drop --within), or import finished runs with `repro store import DIR`'});
  }
  return fitWithin(plan.trainings.filter((t) => !t.cached), m.seconds, budget, executor.concurrency);
}
