import type {Command} from '../command';
import {parseArgs} from '../args';
import {onlyOption, profileOption} from '../profile_option';
import {reproduce} from '../../pipeline/reproduce';
import {storeOption} from '../store_option';
import {stopOnSigint} from '../../train/interrupt';
import {estimateLine} from '../../pipeline/estimate';
import {formatClaimsTable} from './claims';
import {describeFailure} from '../../executors/slurm/executor';
import {parseDuration} from '../../util/duration';
import {EXECUTOR_FLAGS, EXECUTOR_USAGE, EXECUTOR_VALUES, executorOption} from '../executor_option';

const USAGE = `usage: repro reproduce [--profile smoke|quick|standard|paper] [--only IDS] [--dry-run] [--within DURATION] [--store DIR] [--out DIR] [--executor local|slurm …]

Plans every experiment of the profile (default quick), trains what is not in the run store (a
progress line per run with an ETA), evaluates every claim and writes reports/<profile>/:
report.pdf, report.html, claims.json, report.json, figures/.
  --only IDS   experiment or claim ids, comma-separated (e.g. A,B1B2 or B5)
  --dry-run    print the plan (what is cached, what would train) and the verdicts so far; train and write nothing
  --within DURATION
               train only the missing runs estimated to finish within DURATION (e.g. 2.5h, 90min), longest
               first, and defer the rest to the next run of the command: a sitting or allocation of fixed
               length then ends with finished runs, not half-trained checkpoints (local executors only)
  --store DIR  run store (default runs/ or $REPRO_STORE)
  --out DIR    report directory (default reports/<profile>/)
${EXECUTOR_USAGE}`;

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'plan, train what is missing, evaluate claims, write the report',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('reproduce', argv, {values: ['profile', 'only', 'store', 'out', 'within', ...EXECUTOR_VALUES], flags: ['dry-run', ...EXECUTOR_FLAGS]});
    const executor = executorOption(args);
    const profile = profileOption('reproduce', args);
    const store = storeOption('reproduce', args);
    const dryRun = args.flags.has('dry-run');
    const withinText = args.values.get('within');
    const within = withinText === undefined ? undefined : parseDuration(withinText, 'repro reproduce --within');
    if (!dryRun) stopOnSigint();
    const outcome = await reproduce({profile, only: onlyOption(args), dryRun, store, outDir: args.values.get('out'), executor, ...(within !== undefined ? {within} : {})});
    const pending = outcome.execution?.pending;
    if (pending) {
      process.stdout.write(`submitted: ${pending.runs} run(s) on Slurm, submission ${pending.submission}; ${pending.hint}; ` +
        `run this command again (without --no-wait) to wait and write the report\n`);
      return 0;
    }
    if (dryRun) {
      const deferred = new Set(outcome.deferred ?? []);
      for (const t of outcome.plan.trainings) {
        process.stdout.write(`${t.cached ? 'cached  ' : deferred.has(t) ? 'deferred' : 'to train'}  ${t.hash}  ${t.spec.experiment}/${t.spec.name} (${t.spec.model}, ${t.spec.epochs} epochs)\n`);
      }
      process.stdout.write(`${estimateLine(outcome.plan, store)}\n\n`);
    }
    process.stdout.write(formatClaimsTable(outcome.claims, outcome.plan.ctx.data.note ? [outcome.plan.ctx.data.note] : []));
    const failed = outcome.execution?.failed ?? [];
    for (const f of failed) process.stderr.write(`run ${f.label} (${f.hash}) failed: ${describeFailure(f)}\n`);
    return failed.length ? 1 : 0;
  },
};
