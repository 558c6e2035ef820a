import type {Command} from '../command';
import {parseArgs} from '../args';
import {ReproError} from '../../util/errors';
import {WEIGHTS_ENV, pretrainedInfo, pretrainedNames} from '../../models/pretrained';
import {fetchPretrained, listPretrained, verifyPretrained} from '../../models/pretrained_files';

const USAGE = `usage: repro weights list [--json] [--dir DIR]
       repro weights fetch NAME... | all [--dir DIR] [--url BASE_URL]
       repro weights verify [NAME...] [--dir DIR]

ImageNet-pretrained weights (torchvision's IMAGENET1K_V1 .pth files, named as timm's *.tv_in1k):
${pretrainedNames().join(', ')}.
Where a file is read from, first match wins: --dir, else $${WEIGHTS_ENV}, else data/weights/, else
torch.hub's cache ($TORCH_HOME/hub/checkpoints, default ~/.cache/torch/hub/checkpoints).

  list     every file: present or not, where, its size and ImageNet top-1
  fetch    download into data/weights/ (or --dir / $${WEIGHTS_ENV}): resumable, checked against the
           pinned sha256 prefix (torch.hub's check); --url replaces the base URL (a mirror)
  verify   check the checksum, then read the state dict and load it into the model; exit 1 naming
           the file and the problem (no NAME: every present file)`;

export const weightsCommand: Command = {
  name: 'weights',
  summary: 'list, fetch and verify the ImageNet-pretrained weights (transfer learning, claims D)',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      const args = parseArgs('weights list', rest, {flags: ['json'], values: ['dir']});
      const rows = listPretrained({dir: args.values.get('dir')});
      if (args.flags.has('json')) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return 0;
      }
      const w = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) {
        const where = r.present ? `${r.path} (${r.origin === 'option' ? '--dir' : r.origin === 'env' ? `$${WEIGHTS_ENV}` : r.origin === 'data' ? 'data/' : 'torch.hub cache'})`
          : `not found (\`repro weights fetch ${r.name}\`, ≈ ${r.approxMB} MB)`;
        process.stdout.write(`${r.name.padEnd(w)}  ${r.present ? 'present' : 'absent '}  ImageNet top-1 ${r.imagenetTop1.toFixed(2)}%  ${where}\n`);
      }
      return 0;
    }
    if (sub === 'fetch') {
      const args = parseArgs('weights fetch', rest, {values: ['dir', 'url'], positional: 'NAME...'});
      if (args.positional.length === 0) {
        throw new ReproError('repro weights fetch: no weights named', {expected: `one or more of ${pretrainedNames().join(', ')}, or all`,
          fix: 'run `repro weights list`'});
      }
      const names = args.positional.includes('all') ? pretrainedNames() : args.positional;
      names.forEach((n) => pretrainedInfo(n)); // unknown names fail here, before any download
      for (const name of names) {
        const r = await fetchPretrained(name, {dir: args.values.get('dir'), url: args.values.get('url')});
        process.stdout.write(`${name}: ${r.status === 'downloaded' ? 'downloaded to' : 'already present at'} ${r.path}, checksum verified\n`);
      }
      return 0;
    }
    if (sub === 'verify') {
      const args = parseArgs('weights verify', rest, {values: ['dir'], positional: 'NAME...'});
      args.positional.forEach((n) => pretrainedInfo(n));
      const dir = args.values.get('dir');
      const names = args.positional.length ? args.positional : listPretrained({dir}).filter((r) => r.present).map((r) => r.name);
      if (names.length === 0) {
        process.stdout.write('no pretrained weights are present (`repro weights list` says where they are looked for)\n');
        return 0;
      }
      let failed = 0;
      for (const name of names) {
        try {
          const r = await verifyPretrained(name, {dir});
          process.stdout.write(`${name}: OK: ${r.path}\n  sha256 ${r.sha256}\n  ${r.tensors} tensors loaded into ${r.model}\n`);
        } catch (err) {
          if (!(err instanceof ReproError)) throw err;
          process.stderr.write(`repro weights verify ${name}: FAILED\n${err.message}\n`);
          failed++;
        }
      }
      return failed ? 1 : 0;
    }
    throw new ReproError(`repro weights: unknown sub-command "${sub ?? ''}"`, {expected: 'list, fetch or verify', fix: 'run `repro weights --help`'});
  },
};
