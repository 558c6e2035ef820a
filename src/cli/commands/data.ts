import type {Command} from '../command';
import {parseArgs} from '../args';
import {ReproError} from '../../util/errors';
import type {DecodeProgress} from '../../data/image';
import {datasetInfo, datasetNames, fetchDataset, listDatasets, verifyDataset} from '../../data/registry';

const USAGE = `usage: repro data list [--json]
       repro data fetch NAME [--dir DIR] [--url BASE_URL]
       repro data verify NAME [--dir DIR]

Data sets: ${datasetNames().join(', ')}.
Where a data set is read from: --dir, else its env var (CIFAR10_DIR, FASHION_MNIST_DIR,
TINY_IMAGENET_DIR, INTEL_SCENE_DIR), else data/NAME/, else a system path (Debian's
/usr/share/datasets/fashion-mnist).

  list     what is present, where, and whether it was verified since it last changed
  fetch    download into data/NAME/ (or --dir): resumable, checksum-checked; --url replaces the
           base URL the file names are appended to (a mirror)
  verify   check published checksums, then read every record; exit 1 naming the file and the problem`;

/** Progress while images decode (a minute for Tiny-ImageNet): a redrawn line on a TTY, a line per 25% otherwise. */
function decodeProgress(name: string, out: NodeJS.WriteStream = process.stderr): DecodeProgress {
  const t0 = Date.now();
  let lastQuarter = 0;
  return (done, total) => {
    const secs = (Date.now() - t0) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    const line = `${name}: decoded ${done}/${total} images (${Math.floor((100 * done) / total)}%, ${rate.toFixed(0)}/s, ETA ${Math.round((total - done) / rate)}s)`;
    if (out.isTTY) out.write(`\r${line}\x1b[K${done === total ? '\n' : ''}`);
    else if (Math.floor((4 * done) / total) > lastQuarter) { lastQuarter = Math.floor((4 * done) / total); out.write(`${line}\n`); }
  };
}

export const dataCommand: Command = {
  name: 'data',
  summary: 'list, fetch and verify the data sets',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      const args = parseArgs('data list', rest, {flags: ['json']});
      const rows = listDatasets();
      if (args.flags.has('json')) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return 0;
      }
      const w = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) {
        const state = !r.present ? 'absent  ' : r.verified ? 'verified' : 'present ';
        const where = r.present ? `${r.dir} (${r.origin === 'option' ? '--dir' : r.origin === 'env' ? `$${r.envVar}` : r.origin === 'data' ? 'data/' : 'system'})`
          : `not found (${datasetInfo(r.name).sources.length ? `repro data fetch ${r.name}, or ` : 'download it by hand, then '}pass --dir or set ${r.envVar})`;
        process.stdout.write(`${r.name.padEnd(w)}  ${state}  ${where}\n`);
      }
      return 0;
    }
    if (sub === 'fetch' || sub === 'verify') {
      const args = parseArgs(`data ${sub}`, rest, {values: sub === 'fetch' ? ['dir', 'url'] : ['dir'], positional: 'NAME'});
      const [name, extra] = args.positional;
      if (!name || extra !== undefined) {
        throw new ReproError(`repro data ${sub}: expected exactly one data set name`, {expected: `one of ${datasetNames().join(', ')}`, fix: 'run `repro data --help`'});
      }
      datasetInfo(name); // unknown names fail here, before any work
      const dir = args.values.get('dir');
      if (sub === 'fetch') {
        const r = await fetchDataset(name, {dir, url: args.values.get('url')});
        process.stdout.write(`${name}: ${r.files.length} file(s) in ${r.dir}, checksums verified\n`);
        return 0;
      }
      try {
        const r = await verifyDataset(name, {dir, progress: decodeProgress(name)});
        process.stdout.write(`${name}: OK: ${r.train} train + ${r.test} test images read from ${r.dir}\n` +
          (r.checkedFiles.length ? `  known checksums matched: ${r.checkedFiles.join(', ')}\n` : '  (no published checksum applies to these files; every record was read)\n') +
          `  data identity (sha256): ${r.checksum}\n`);
        return 0;
      } catch (err) {
        if (!(err instanceof ReproError)) throw err;
        process.stderr.write(`repro data verify ${name}: FAILED\n${err.message}\n`);
        return 1;
      }
    }
    throw new ReproError(`repro data: unknown sub-command "${sub ?? ''}"`, {expected: 'list, fetch or verify', fix: 'run `repro data --help`'});
  },
};
