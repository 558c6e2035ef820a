import {TRAINING_CODE} from '../runs/code_version';
import {codeVersionHistory, type CodeEra} from '../runs/code_version_history';
import {runHash} from '../runs/hash';
import type {RunStore} from '../runs/store';
import {canonicalJson} from '../util/canonical_json';
import type {Training} from './plan';

/**
 * Work the store holds for a run about to train, under another run hash. The hash covers the
 * training code, so when that code changes between sittings an interrupted run becomes a new run
 * that trains from scratch: the old checkpoint is kept but never resumed. Nothing is wrong with
 * that (the new code may train differently), but hours of training can be thrown away unseen, so
 * reproduce says so and names the commits whose training code hashes to the old run's hash.
 */
export interface StrandedCheckpoint {
  readonly training: Training;
  /** The store entry holding the other version's work. */
  readonly hash: string;
  /** The last epoch its newest checkpoint holds (0 when it has none yet). */
  readonly epochs: number;
  /** Another live process is training it now (a lock whose holder is alive). */
  readonly inProgress: boolean;
  /** The commits whose training code began it (found by hashing each era's code with the run's spec and data); undefined when none in reach does. */
  readonly era?: CodeEra;
}

/** The era whose code version, with this spec and data, hashes to `hash`; undefined outside git or when none does. */
function eraOf(t: Training, hash: string, history: () => CodeEra[]): CodeEra | undefined {
  try {
    return history().find((e) => runHash(t.spec, e.version, t.dataChecksum) === hash);
  } catch {
    return undefined;
  }
}

/** For each training not yet done: the interrupted or running entries of the same spec under another hash. */
export function strandedCheckpoints(trainings: readonly Training[], store: RunStore,
  readHistory: () => CodeEra[] = () => codeVersionHistory()): StrandedCheckpoint[] {
  const todo = new Map(trainings.filter((t) => !t.cached).map((t) => [canonicalJson(t.spec), t]));
  if (todo.size === 0) return [];
  const found: StrandedCheckpoint[] = [];
  let eras: CodeEra[] | undefined;
  const history = () => (eras ??= readHistory());
  for (const e of store.list()) {
    if (e.status !== 'interrupted' && e.status !== 'in progress') continue;
    const t = e.spec && todo.get(canonicalJson(e.spec));
    if (!t || t.hash === e.hash) continue;
    const epochs = store.checkpointEpoch(e.hash);
    const inProgress = e.status === 'in progress';
    if (epochs === 0 && !inProgress) continue;
    const era = eraOf(t, e.hash, history);
    found.push({training: t, hash: e.hash, epochs, inProgress, ...(era ? {era} : {})});
  }
  return found;
}

/** The warning reproduce prints: what is stranded, why, and the commands that would finish it. */
export function describeStranded(s: StrandedCheckpoint): string {
  const {spec} = s.training;
  const what = s.inProgress
    ? `another process is training the same run under other training code (run ${s.hash}, ${s.epochs ? `checkpoint after epoch ${s.epochs} of ${spec.epochs}` : 'no checkpoint yet'})`
    : `the store holds a checkpoint of the same run after epoch ${s.epochs} of ${spec.epochs}, made by other training code (run ${s.hash})`;
  const by = s.era
    ? `It was begun by the training code of commit${s.era.first === s.era.last ? ` ${s.era.first}` : `s ${s.era.first} to ${s.era.last}`} (code version ${s.era.version}). `
    : `No commit in this checkout's history has its training code (${TRAINING_CODE.join(', ')}): it began from uncommitted changes, another tfjs version or another clone. `;
  const finish = s.era
    ? `stop this, \`git worktree add ../resume-${s.era.last} ${s.era.last}\`, and there run \`node scripts/setup.mjs\` and the same command with the same --store; `
    : 'stop this and run the same command with the same --store from a checkout of the code that began it; ';
  return `warning: ${spec.experiment}/${spec.name} trains from scratch as run ${s.training.hash}: ${what}. ` +
    `The run hash covers the training code, so that work is kept but not resumed here. ${by}To finish it instead, ${finish}` +
    '`repro store export` then carries its result into this code version.';
}
