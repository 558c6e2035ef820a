import {existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {randomBytes} from 'node:crypto';
import {REPO_ROOT} from '../../runs/code_version';
import type {RunStore} from '../../runs/store';
import type {Training} from '../../pipeline/plan';
import {writeFileAtomic} from '../../util/atomic';
import type {Executor, ExecutorOutcome, RunFailure} from '../executor';
import {CliSlurm, taskKey, type SlurmClient, type TaskRef} from './client';
import {profileResources, type SlurmResources} from './resources';
import {sbatchScript} from './script';
import {explainState, phaseOf, type TaskState} from './state';
import {latestAttempts, loadSubmissions, saveSubmission, submissionDir, type Submission} from './submission';

export interface SlurmOptions {
  /** At most this many tasks of an array run at once (%P); all when absent. */
  readonly throttle?: number;
  /** Extra sbatch options; they override the profile's resources. */
  readonly sbatchArgs?: readonly string[];
  /** Tries per run, first one included (default 3): a failed task is resubmitted until then. */
  readonly maxAttempts?: number;
  /** Wait for every run (default) or return the submission's handle at once. */
  readonly wait?: boolean;
  readonly pollMs?: number;
  readonly client?: SlurmClient;
  readonly resources?: SlurmResources;
  /** The node binary tasks run (default this one's: the store and the checkout are shared). */
  readonly node?: string;
  /** How long a just-submitted task may be unknown to every Slurm tool before it counts as lost (default 60 s). */
  readonly unknownGraceMs?: number;
}

/** How a task's Slurm state reads for a person: "TIMEOUT: the task ran past …; exit code 3". */
function exitText(code?: string): string {
  if (!code || code === '0:0') return ''; // 0:0 is also what Slurm records for TIMEOUT and CANCELLED
  const [c, sig] = code.split(':');
  return sig && sig !== '0' ? `signal ${sig}` : `exit code ${c}`;
}

function tail(path: string, lines = 5): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).map((l) => `      | ${l}`).join('\n');
  } catch { return ''; }
}

interface Tracked {
  readonly hash: string;
  readonly label: string;
  attempt: TaskRef & {submittedAt: number};
  attempts: number;
  /** Polls in a row that saw the task COMPLETED with no result in the store (NFS may lag). */
  completedNoResult: number;
  settled?: 'done' | RunFailure;
  /** The last phase logged for this run (a line per run when it changes). */
  shown?: string;
}

export function slurmLogPath(store: RunStore, hash: string, t: TaskRef): string {
  return join(store.dir(hash), `slurm-${t.jobId}_${t.task}.log`);
}

/**
 * Trains the missing runs of a plan on Slurm: one job array per submission (tasks run `repro
 * train` for their spec), then watches until every run is in the store or has failed its last
 * try. Runs a queued or running task of an earlier submission already carries are re-attached,
 * not submitted twice. Slurm's state only explains failures; a run is done when its result is in
 * the store.
 */
export function slurmExecutor(opts: SlurmOptions = {}): Executor {
  return {
    name: 'slurm',
    async trainMissing(plan, ctx) {
      const client = opts.client ?? new CliSlurm();
      const todo = plan.trainings.filter((t) => !ctx.store.read(t.hash));
      return runOnSlurm(todo, plan.profile, ctx.store, ctx.log, client, opts);
    },
  };
}

export async function runOnSlurm(todo: readonly Training[], profile: string, store: RunStore, log: (l: string) => void,
  client: SlurmClient, opts: SlurmOptions): Promise<ExecutorOutcome> {
  const maxAttempts = opts.maxAttempts ?? 3, pollMs = opts.pollMs ?? 5000;
  const resources = opts.resources ?? profileResources(profile);
  const label = (t: Training) => `${t.spec.experiment}/${t.spec.name}`;

  // Re-attach to tasks of earlier submissions that are still queued or running.
  const earlier = latestAttempts(loadSubmissions(store));
  const known = await client.states(todo.flatMap((t) => earlier.get(t.hash) ?? []));
  const tracked: Tracked[] = [];
  const fresh: Training[] = [];
  for (const t of todo) {
    const a = earlier.get(t.hash);
    const st = a && known.get(taskKey(a));
    const phase = st ? phaseOf(st.state) : undefined;
    if (a && (phase === 'queued' || phase === 'running')) {
      tracked.push({hash: t.hash, label: label(t), attempt: {jobId: a.jobId, task: a.task, submittedAt: Date.parse(a.submittedAt)}, attempts: 1, completedNoResult: 0});
    } else {
      fresh.push(t);
    }
  }
  if (tracked.length) log(`slurm: re-attached to ${tracked.length} run(s) already queued or running (submission ${earlier.get(tracked[0].hash)?.submission})`);

  const now = new Date();
  const id = `${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
  const specOf = new Map(todo.map((t) => [t.hash, t.spec]));
  const submission: Submission = {format: 1, id, created: now.toISOString(), profile, ...(opts.throttle ? {throttle: opts.throttle} : {}),
    maxAttempts, sbatchArgs: [...(opts.sbatchArgs ?? [])], runs: todo.map((t) => ({hash: t.hash, label: label(t)})), arrays: []};

  const submit = async (hashes: readonly string[]): Promise<string> => {
    const n = submission.arrays.length + 1;
    const dir = submissionDir(store, id);
    const script = sbatchScript({jobName: `repro-${profile}`, hashes, storeRoot: store.root, repoRoot: REPO_ROOT, node: opts.node ?? process.execPath,
      resources, throttle: opts.throttle, slurmOutput: join(dir, 'slurm-%A_%a.out')});
    const path = join(dir, `array-${n}.sh`);
    writeFileAtomic(path, script);
    for (const h of hashes) {
      store.begin(h, specOf.get(h)!);
      writeFileAtomic(join(store.dir(h), 'sbatch.sh'), script); // the record of how this run was asked for
    }
    const jobId = await client.submit(path, submission.sbatchArgs);
    submission.arrays.push({jobId, submittedAt: new Date().toISOString(), script: path, hashes: [...hashes]});
    saveSubmission(store, submission);
    return jobId;
  };

  if (fresh.length) {
    const jobId = await submit(fresh.map((t) => t.hash));
    fresh.forEach((t, task) => tracked.push({hash: t.hash, label: label(t), attempt: {jobId, task, submittedAt: Date.now()}, attempts: 1, completedNoResult: 0}));
    log(`slurm: submitted ${fresh.length} run(s) as job array ${jobId}${opts.throttle ? ` (at most ${opts.throttle} at once)` : ''}; ` +
      `submission ${id} (${submissionDir(store, id)})`);
  }
  const hint = `watch with \`repro status --store ${store.root}\`, cancel with \`repro cancel --store ${store.root}\``;
  if (opts.wait === false) {
    if (tracked.length) log(`slurm: not waiting; ${hint}`);
    if (tracked.length === 0) return {trained: 0, failed: []};
    const handle = submission.arrays.length ? id : earlier.get(tracked[0].hash)!.submission;
    return {trained: 0, failed: [], pending: {submission: handle, runs: tracked.length, hint}};
  }
  if (tracked.length === 0) return {trained: 0, failed: []};

  const onSigint = () => {
    log(`\ninterrupted: the Slurm jobs keep running. ${hint}; \`repro reproduce\` with the same options re-attaches.`);
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    return await watch(tracked, store, log, client, {maxAttempts, pollMs, submit, unknownGraceMs: opts.unknownGraceMs ?? 60_000});
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

async function watch(tracked: Tracked[], store: RunStore, log: (l: string) => void, client: SlurmClient,
  o: {maxAttempts: number; pollMs: number; unknownGraceMs: number; submit: (hashes: readonly string[]) => Promise<string>}): Promise<ExecutorOutcome> {
  let last = '';
  let trained = 0;
  let unanswered = 0;
  for (;;) {
    const open = tracked.filter((t) => !t.settled);
    let states: Map<string, TaskState>;
    try {
      states = open.length ? await client.states(open.map((t) => t.attempt)) : new Map<string, TaskState>();
      unanswered = 0;
    } catch (err) {
      // A controller restart or a munge hiccup should not end a wait of hours: try a few polls more.
      if (++unanswered >= 5) throw err;
      log(`slurm: no answer (${(err as Error).message.split('\n')[0]}); trying again (${unanswered} of 5)`);
      await new Promise((r) => setTimeout(r, o.pollMs));
      continue;
    }
    const retry: Tracked[] = [];
    const counts = {queued: 0, running: 0};
    for (const t of open) {
      if (store.read(t.hash)) { t.settled = 'done'; trained += 1; log(`slurm: ${t.label} done (${store.dir(t.hash)})`); continue; }
      const st = states.get(taskKey(t.attempt));
      const phase = st ? phaseOf(st.state) : 'unknown';
      if ((phase === 'queued' || phase === 'running') && t.shown !== `${phase}${taskKey(t.attempt)}`) {
        t.shown = `${phase}${taskKey(t.attempt)}`;
        log(`slurm: ${t.label} ${phase} (task ${taskKey(t.attempt)}${st?.reason ? `, ${st.reason}` : ''})`);
      }
      let failure: Omit<RunFailure, 'attempts'> | undefined;
      const logPath = slurmLogPath(store, t.hash, t.attempt);
      if (phase === 'queued' || phase === 'running') { counts[phase] += 1; continue; }
      if (phase === 'completed') {
        // The task ended well but no result is visible: give a shared file system a poll to catch up.
        if (++t.completedNoResult < 3) { counts.running += 1; continue; }
        failure = {hash: t.hash, label: t.label, state: 'COMPLETED', explanation: `the task ended without a result in the store (its code or data hash differs from this host's? see the log)`, log: logPath};
      } else if (phase === 'failed') {
        failure = {hash: t.hash, label: t.label, state: st!.state, ...(st!.exitCode ? {exitCode: st!.exitCode} : {}), explanation: explainState(st!.state), log: logPath};
      } else if (Date.now() - t.attempt.submittedAt < o.unknownGraceMs) {
        counts.queued += 1; // just submitted: the controller may not list it yet
        continue;
      } else {
        failure = {hash: t.hash, label: t.label, state: st?.state ?? 'UNKNOWN', explanation: 'Slurm no longer knows this task (squeue, scontrol and sacct say nothing) and its result is not in the store', log: logPath};
      }
      const full: RunFailure = {...failure, attempts: t.attempts};
      if (t.attempts < o.maxAttempts) {
        log(`slurm: ${t.label} ${describeFailure(full)}; resubmitting (try ${t.attempts + 1} of ${o.maxAttempts}; it resumes from its last checkpoint)`);
        retry.push(t);
      } else {
        t.settled = full;
        log(`slurm: ${t.label} FAILED for good after ${t.attempts} tries: ${describeFailure(full)}`);
      }
    }
    if (retry.length) {
      const jobId = await o.submit(retry.map((t) => t.hash));
      retry.forEach((t, task) => { t.attempt = {jobId, task, submittedAt: Date.now()}; t.attempts += 1; t.completedNoResult = 0; });
      counts.queued += retry.length;
    }
    const done = tracked.filter((t) => t.settled === 'done').length;
    const failed = tracked.filter((t) => t.settled && t.settled !== 'done').map((t) => t.settled as RunFailure);
    const line = `slurm: ${counts.queued} queued, ${counts.running} running, ${done} done, ${failed.length} failed (of ${tracked.length})`;
    if (line !== last) { log(line); last = line; }
    if (tracked.every((t) => t.settled)) return {trained, failed};
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
}

/** "TIMEOUT (the task ran past …), exit code 1; log /store/<hash>/slurm-4_0.log" with the log's last lines. */
export function describeFailure(f: RunFailure): string {
  const exit = exitText(f.exitCode);
  const logNote = existsSync(f.log) && statSync(f.log).size > 0 ? `log ${f.log}\n${tail(f.log)}` : `log ${f.log} (empty or missing: see the submission's slurm-*.out)`;
  return `${f.state} (${f.explanation})${exit ? `, ${exit}` : ''}; ${logNote}`;
}
