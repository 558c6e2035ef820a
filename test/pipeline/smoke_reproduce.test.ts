import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CLAIM_IDS} from '../../experiments/index';
import {main} from '../../src/cli/main';
import {loadAddon} from '../../src/engine/cpu_native/addon';
import {baselineRuns, readBaselineClaims, readBaselineRuns} from '../../src/pipeline/baselines';
import {reproduce, type ReproduceOutcome} from '../../src/pipeline/reproduce';
import {checkFigure} from '../../src/report/figure_check';
import {defaultRunDeps} from '../../src/runs/default_deps';
import {parseRunSpec} from '../../src/runs/spec';
import {RunStore} from '../../src/runs/store';
import {silentProgress} from '../../src/train/progress';
import {assertSameClaims, assertSameRuns, essence} from './baseline_compare';

/** Runs a `repro` command in-process and returns what it printed on stdout. */
async function captureStdout(argv: string[]): Promise<{code: number; out: string}> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => { chunks.push(String(chunk)); return true; }) as typeof process.stdout.write;
  try {
    const code = await main(argv);
    return {code, out: chunks.join('')};
  } finally {
    process.stdout.write = write;
  }
}

describe('pipeline: `repro reproduce --profile smoke` end to end (real training on synthetic data)', function () {
  this.timeout(600_000);
  let tmp: string;
  let store: RunStore;
  let outcome: ReproduceOutcome;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'repro-smoke-'));
    store = new RunStore(join(tmp, 'store'));
    // Train with the baselines' thread count (oneDNN's reductions round differently with another),
    // so the determinism check below holds on any machine, whatever its cores or REPRO_THREADS.
    const threads = readBaselineRuns('smoke')?.[0]?.threads;
    const deps = await defaultRunDeps();
    const native = deps.backend.name === 'cpu-native' && threads !== undefined && threads !== deps.backend.threads ? loadAddon() : undefined;
    if (native?.ok) native.addon.setThreads(threads!);
    try {
      outcome = await reproduce({profile: 'smoke', store, outDir: join(tmp, 'out'), log: () => {},
        makeDeps: async () => ({...deps, backend: {...deps.backend, threads: native?.ok ? threads! : deps.backend.threads}, progress: silentProgress})});
    } finally {
      if (native?.ok) native.addon.setThreads(deps.backend.threads);
    }
  });
  after(() => rmSync(tmp, {recursive: true, force: true}));

  it('trains every planned run and evaluates every claim of CLAIMS.md', () => {
    assert.equal(outcome.trained, outcome.plan.trainings.length);
    assert.ok(outcome.trained > 0);
    assert.deepEqual(outcome.claims.map((c) => c.id), [...CLAIM_IDS]);
  });

  it('report.pdf (pdftotext) holds the claims table: every claim id with its verdict on its row', function () {
    const probe = spawnSync('pdftotext', ['-v'], {encoding: 'utf8'});
    if (probe.error) {
      if (process.env.CI === 'true') assert.fail('pdftotext (poppler-utils) is missing; setup should have installed it');
      console.log('    pdftotext (poppler-utils) is not installed here: skipping the PDF text check');
      this.skip();
    }
    const text = spawnSync('pdftotext', ['-layout', outcome.files!.pdf, '-'], {encoding: 'utf8'}).stdout;
    assert.match(text, /Claims: paper vs ours/);
    for (const c of outcome.claims) {
      const row = new RegExp(`^\\s*${c.id}\\s.*${c.verdict}\\s*$`, 'm');
      assert.match(text, row, `no row "${c.id} … ${c.verdict}" in the PDF text`);
    }
  });

  it('every figure of the smoke report is clean (no overlapping, cut or clipped text, no line on the frame) and written as SVG and PNG', async () => {
    const figures = outcome.input.sections.flatMap((s) => s.figures);
    assert.ok(figures.length > 0);
    for (const f of figures) {
      assert.deepEqual(await checkFigure(f.spec), [], f.id);
      for (const ext of ['svg', 'png']) assert.ok(existsSync(join(tmp, 'out', 'figures', `${f.id}.${ext}`)), `${f.id}.${ext}`);
    }
  });

  it('claims.json holds the same verdicts', () => {
    const json = JSON.parse(readFileSync(outcome.files!.claims, 'utf8')) as typeof outcome.claims;
    assert.deepEqual(essence(json), essence(outcome.claims));
  });

  it('a not-run claim carries its reason and the command that would run it', () => {
    const notRun = outcome.claims.filter((c) => c.verdict === 'not run');
    // A7 runs where /usr/bin/python3 has torch (set-up installs it) and is 'not run' with the reason elsewhere.
    assert.deepEqual(notRun.map((c) => c.id).filter((id) => id !== 'A7'), ['C1', 'C2', 'C3', 'D1', 'D2', 'D3']);
    for (const c of notRun) {
      assert.ok(c.note && c.note.length > 10, `${c.id}: no reason`);
      assert.ok(c.command && c.command.length > 5, `${c.id}: no command`);
    }
    assert.match(outcome.claims.find((c) => c.id === 'C1')!.command!, /repro data fetch tiny-imagenet/);
  });

  it('every claim that used synthetic data says so on its row', () => {
    for (const id of ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'E1']) {
      assert.match(outcome.claims.find((c) => c.id === id)!.note ?? '', /synthetic/, id);
    }
  });

  it('is deterministic: the committed smoke baselines (claims and final metrics) are reproduced to the last bit on their kind of CPU (elsewhere as far as the kinds allow, said loudly)', () => {
    const claims = readBaselineClaims('smoke'), runs = readBaselineRuns('smoke');
    assert.ok(claims && runs, 'reports/baselines/smoke/ is missing: run `npm run baselines -- --profile smoke` and commit it');
    const ours = baselineRuns(outcome, store);
    assert.equal(ours[0].backend, runs[0].backend,
      `the baselines were made on ${runs[0].backend}; this process trained on ${ours[0].backend}, whose numbers differ in the last bits`);
    assertSameClaims(outcome.claims, claims, assertSameRuns(ours, runs));
  });

  it('`repro plan --json --write-specs`: every spec parses with parseRunSpec, and all are cached now', async () => {
    const specDir = join(tmp, 'specs');
    const {code, out} = await captureStdout(['plan', '--profile', 'smoke', '--json', '--store', store.root, '--write-specs', specDir]);
    assert.equal(code, 0);
    const written = JSON.parse(readFileSync(join(specDir, 'B1B2-resnet56.s1.json'), 'utf8')) as unknown;
    assert.equal(parseRunSpec(written, 'B1B2-resnet56.s1.json').model, 'resnet56');
    const plan = JSON.parse(out) as {runs: {spec: unknown; cached: boolean; experiment: string; name: string}[]};
    assert.ok(plan.runs.length >= outcome.plan.trainings.length);
    for (const r of plan.runs) {
      parseRunSpec(r.spec, `${r.experiment}/${r.name}`);
      assert.equal(r.cached, true, `${r.experiment}/${r.name}`);
    }
  });

  it('`repro claims --json` gives the same verdicts from the store, training nothing', async () => {
    const {code, out} = await captureStdout(['claims', '--profile', 'smoke', '--json', '--store', store.root]);
    assert.equal(code, 0);
    assert.deepEqual(essence(JSON.parse(out)), essence(outcome.claims));
  });

  it('--only selects experiments by experiment or claim id, and rejects unknown ids', async () => {
    const only = await reproduce({profile: 'smoke', store, only: ['b5', 'A1'], noTraining: true, noReport: true, log: () => {}});
    assert.deepEqual(only.claims.map((c) => c.id), ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'B5']);
    await assert.rejects(reproduce({profile: 'smoke', store, only: ['Z9'], dryRun: true, log: () => {}}), /unknown experiment or claim id "Z9"/);
  });
});

describe('pipeline: claims whose runs are not in the store', function () {
  this.timeout(120_000);
  it('are "not run" with the missing runs named and the command that trains them (dry run: nothing trained or written)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'repro-empty-'));
    try {
      const outcome = await reproduce({profile: 'smoke', store: new RunStore(join(tmp, 'store')), only: ['B1B2'], dryRun: true,
        outDir: join(tmp, 'out'), log: () => {}});
      assert.equal(outcome.trained, 0);
      assert.equal(outcome.files, undefined);
      // Each claim names the runs it reads (B2 does not read plain-20).
      const missing: Record<string, RegExp> = {B1: /runs not in the store: plain20\.s1, plain56\.s1, resnet20\.s1, resnet56\.s1, plain20\.s2/,
        B2: /runs not in the store: plain56\.s1, resnet20\.s1, resnet56\.s1, plain56\.s2/};
      assert.deepEqual(outcome.claims.map((c) => c.id), ['B1', 'B2']);
      for (const c of outcome.claims) {
        assert.equal(c.verdict, 'not run');
        assert.match(c.note ?? '', missing[c.id]);
        assert.equal(c.command, 'npm run reproduce -- --profile smoke --only B1B2');
      }
    } finally {
      rmSync(tmp, {recursive: true, force: true});
    }
  });
});
