import type {Command} from '../command';
import {parseArgs} from '../args';
import {RunStore} from '../../runs/store';
import {CliSlurm, taskKey} from '../../executors/slurm/client';
import {explainState, phaseOf, type TaskState} from '../../executors/slurm/state';
import {slurmLogPath} from '../../executors/slurm/executor';
import {findSubmission, latestAttempts, loadSubmissions} from '../../executors/slurm/submission';

const USAGE = `usage: repro status [--store DIR] [--submission ID] [--json] [--wait]

The runs of a Slurm submission (default: the newest in the store) and where each stands: done
(its result is in the store: the only proof), or its Slurm state (queued, running, FAILED with exit
code, TIMEOUT, OUT_OF_MEMORY, CANCELLED, …) with its log. --wait repeats every 5 s until no run is
queued or running. \`repro reproduce --executor slurm\` with the same options re-attaches and
resubmits failed runs; \`repro cancel\` cancels.`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'where the runs of a Slurm submission stand (done, queued, running, failed + log)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('status', argv, {values: ['store', 'submission'], flags: ['json', 'wait']});
    const store = new RunStore(args.values.get('store') ?? undefined);
    const sub = findSubmission(store, args.values.get('submission'));
    const client = new CliSlurm();
    for (;;) {
      // The newest try of each run of this submission, also when a later submission retried it.
      const attempts = latestAttempts(loadSubmissions(store));
      let states = new Map<string, TaskState>();
      try {
        states = await client.states([...attempts.values()]);
      } catch (err) {
        // The store alone still says what is done (e.g. looked at from a host without Slurm).
        process.stderr.write(`warning: Slurm's state is unavailable, showing the store only: ${(err as Error).message}\n`);
      }
      const rows = sub.runs.map((r) => {
        const a = attempts.get(r.hash);
        if (store.read(r.hash)) return {...r, state: 'done', phase: 'done'};
        const st = a && states.get(taskKey(a));
        const phase = st ? phaseOf(st.state) : 'unknown';
        return {...r, state: st?.state ?? 'unknown', phase, ...(a ? {job: taskKey(a), log: slurmLogPath(store, r.hash, a)} : {}),
          ...(st?.exitCode ? {exitCode: st.exitCode} : {}), ...(phase === 'failed' ? {why: explainState(st!.state)} : {})};
      });
      const busy = rows.filter((r) => r.phase === 'queued' || r.phase === 'running').length;
      if (args.flags.has('json')) {
        process.stdout.write(JSON.stringify({submission: sub.id, store: store.root, runs: rows}, null, 2) + '\n');
      } else {
        process.stdout.write(`submission ${sub.id} (${sub.profile}): ${rows.filter((r) => r.phase === 'done').length} done, ${busy} queued or running, ` +
          `${rows.filter((r) => r.phase === 'failed').length} failed, of ${rows.length}\n`);
        for (const r of rows) {
          process.stdout.write(`  ${r.state.padEnd(13)} ${r.label}  ${r.hash}${'job' in r ? `  job ${r.job}` : ''}` +
            `${'exitCode' in r ? `  exit ${r.exitCode}` : ''}${'why' in r ? `  (${r.why}; log ${r.log})` : ''}\n`);
        }
      }
      if (!args.flags.has('wait') || busy === 0) return rows.some((r) => r.phase !== 'done') && busy === 0 ? 1 : 0;
      await new Promise((r) => setTimeout(r, 5000));
    }
  },
};
