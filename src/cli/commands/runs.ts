import type {Command} from '../command';
import {parseArgs} from '../args';
import {RunStore} from '../../runs/store';

const USAGE = `usage: repro runs [--json] [--store DIR]

Lists the run store: hash, experiment/run, status (done, diverged, in progress, incomplete,
corrupt) and the final metrics. Listing changes nothing: a result that fails its checks (its
sha256 in result.json.sha256, format, hash, finite metrics) is shown as corrupt with the reason,
and is set aside (renamed, with a warning) only when the run is next trained.`;

function pct(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(2)}%`;
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list the run store (hash, experiment, status, final metrics)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('runs', argv, {values: ['store'], flags: ['json']});
    const store = new RunStore(args.values.get('store') ?? undefined);
    const entries = store.list();
    if (args.flags.has('json')) {
      process.stdout.write(JSON.stringify(entries.map((e) => ({
        hash: e.hash, experiment: e.spec?.experiment, name: e.spec?.name, model: e.spec?.model, status: e.status,
        final: e.result?.final, ...(e.problem ? {problem: e.problem} : {}),
      })), null, 2) + '\n');
      return 0;
    }
    if (entries.length === 0) {
      process.stdout.write(`the run store ${store.root} is empty\n`);
      return 0;
    }
    const rows = entries.map((e) => [e.hash, `${e.spec?.experiment ?? '?'}/${e.spec?.name ?? '?'}`, e.spec?.model ?? '?',
      e.status, String(e.result?.history.length ?? '-'), pct(e.result?.final?.trainError), pct(e.result?.final?.testError)]);
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
