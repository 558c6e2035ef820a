import type {Command} from '../command';
import {parseArgs} from '../args';
import {storeOption} from '../store_option';
import type {RunStore, StoreEntry} from '../../runs/store';

const USAGE = `usage: repro runs [--json] [--store DIR] [--prune]

Lists the run store: hash, experiment/run, status and the final metrics. Status: done, diverged,
in progress (a live process trains it), interrupted (stopped by Ctrl-C, a kill or a crash: the same
command resumes it from its checkpoint), incomplete (a spec and nothing else), corrupt (a result that
fails its checks: its sha256 in result.json.sha256, format, hash, finite metrics; shown with the
reason, and set aside, renamed with a warning, only when the run is next trained). For a run in
progress or interrupted, epochs says how far its last checkpoint got (37/100). Listing changes nothing.
  --prune  delete the interrupted and incomplete entries (their checkpoints too); finished runs and
           runs in progress are never touched`;

function pct(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(2)}%`;
}

/** A result's epochs; for a run still training or interrupted, how far its checkpoint got ("37/100"). */
function epochsCell(e: StoreEntry, store: RunStore): string {
  if (e.result) return String(e.result.history.length);
  const done = store.checkpointEpoch(e.hash);
  return done > 0 ? `${done}/${e.spec?.epochs ?? '?'}` : '-';
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list the run store (hash, experiment, status, final metrics)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('runs', argv, {values: ['store'], flags: ['json', 'prune']});
    const store = storeOption('runs', args);
    if (args.flags.has('prune')) {
      const pruned = store.list().filter((e) => store.prune(e));
      for (const e of pruned) process.stdout.write(`removed ${e.hash}  ${e.spec?.experiment ?? '?'}/${e.spec?.name ?? '?'} (${e.status})\n`);
      process.stdout.write(`pruned ${pruned.length} entr${pruned.length === 1 ? 'y' : 'ies'} from ${store.root}\n`);
      return 0;
    }
    const entries = store.list();
    if (args.flags.has('json')) {
      process.stdout.write(JSON.stringify(entries.map((e) => ({
        hash: e.hash, experiment: e.spec?.experiment, name: e.spec?.name, model: e.spec?.model, status: e.status,
        final: e.result?.final, ...(e.result ? {} : {checkpointEpoch: store.checkpointEpoch(e.hash)}), ...(e.problem ? {problem: e.problem} : {}),
      })), null, 2) + '\n');
      return 0;
    }
    if (entries.length === 0) {
      process.stdout.write(`the run store ${store.root} is empty\n`);
      return 0;
    }
    const rows = entries.map((e) => [e.hash, `${e.spec?.experiment ?? '?'}/${e.spec?.name ?? '?'}`, e.spec?.model ?? '?',
      e.status, epochsCell(e, store), pct(e.result?.final?.trainError), pct(e.result?.final?.testError)]);
    const header = ['hash', 'run', 'model', 'status', 'epochs', 'train err', 'test err'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
    for (const e of entries.filter((x) => x.problem)) {
      process.stdout.write(`${e.hash}: corrupt: ${e.problem}; left in place (the next \`repro train\`/\`reproduce\` of it moves it aside and trains again)\n`);
    }
    return 0;
  },
};
