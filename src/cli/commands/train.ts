import {readFileSync} from 'node:fs';
import type {Command} from '../command';
import {parseArgs} from '../args';
import {ReproError} from '../../util/errors';
import {parseRunSpec} from '../../runs/spec';
import {ensureRun, planHash} from '../../runs/ensure_run';
import {memoizePrepareData} from '../../pipeline/plan';
import {storeOption} from '../store_option';
import {stopOnSigint} from '../../train/interrupt';
import {defaultRunDeps} from '../../runs/default_deps';

const USAGE = `usage: repro train --spec FILE.json [--store DIR] [--expect-hash HASH]

Trains one RunSpec into the run store (default runs/, or $REPRO_STORE), resuming from its last
checkpoint if an earlier attempt was interrupted, or reusing the stored result when the same spec,
code and data were already trained. Prints the run hash as the last line.
\`repro plan --profile P --json\` prints specs usable here. --expect-hash (used by the Slurm
executor's tasks) refuses to train when this host hashes the spec differently (other code or data).`;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train one RunSpec (JSON) into the run store, resumable',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('train', argv, {values: ['spec', 'store', 'expect-hash']});
    const file = args.values.get('spec');
    if (!file) throw new ReproError('repro train: --spec FILE.json is required', {fix: USAGE.split('\n')[0]});
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ReproError(`repro train: cannot read ${file}: ${(err as Error).message}`,
        {expected: 'a JSON file holding one RunSpec', fix: 'check the path and the JSON syntax'});
    }
    const spec = parseRunSpec(json, file);
    const store = storeOption('train', args);
    stopOnSigint();
    const made = await defaultRunDeps();
    const deps = {...made, prepareData: memoizePrepareData(made.prepareData)};
    const expected = args.values.get('expect-hash');
    if (expected !== undefined) {
      const hash = await planHash(spec, deps);
      if (hash !== expected) {
        throw new ReproError(`repro train: ${file} hashes to ${hash} here, not to ${expected} as on the submitting host`,
          {expected: 'the same code (src/train, src/models, src/data, src/engine) and data checksum on every host that shares a store',
            fix: 'check out the same commit and data on the compute nodes (a shared file system), then resubmit'});
      }
    }
    const {result, cached} = await ensureRun(spec, deps, store);
    const f = result.final;
    process.stderr.write(cached ? `already in the store: ${store.dir(result.hash)}\n` : `stored: ${store.dir(result.hash)}\n`);
    if (result.status === 'diverged') {
      process.stderr.write(`run DIVERGED at iteration ${result.divergedAt?.iteration} (loss ${result.divergedAt?.loss})\n`);
    } else if (f) {
      process.stderr.write(`final: train error ${(f.trainError * 100).toFixed(2)}%, test error ${(f.testError * 100).toFixed(2)}%\n`);
    }
    process.stdout.write(`${result.hash}\n`);
    return result.status === 'done' ? 0 : 1;
  },
};
