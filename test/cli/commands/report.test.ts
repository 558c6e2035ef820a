import {strict as assert} from 'node:assert';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {reportCommand} from '../../../src/cli/commands/report';
import {COMMANDS} from '../../../src/cli/main';
import {ReproError} from '../../../src/util/errors';
import {requireTool} from '../../report/chromium';
import {fixtureInput} from '../../report/fixture';

/** Runs the command with stdout captured. */
async function run(argv: string[]): Promise<{code: number; out: string}> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { out += chunk.toString(); return true; }) as typeof process.stdout.write;
  try {
    return {code: await reportCommand.run(argv), out};
  } finally {
    process.stdout.write = write;
  }
}

describe('cli/report', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-cli-report-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('is in the command table', () => {
    assert.ok(COMMANDS.includes(reportCommand));
  });

  it('requires --input and rejects stray arguments, saying what to pass', async () => {
    await assert.rejects(run([]), (e: unknown) => e instanceof ReproError && /--input is required/.test(e.message));
    await assert.rejects(run(['report.json']), (e: unknown) => e instanceof ReproError && /unexpected argument "report.json"/.test(e.message));
  });

  it('rejects a malformed report input before starting a browser, and writes nothing', async () => {
    const path = join(dir, 'report.json');
    writeFileSync(path, JSON.stringify({...fixtureInput(), claims: 'none'}));
    await assert.rejects(run(['--input', path, '--chromium', join(dir, 'no-chromium')]),
      (e: unknown) => e instanceof ReproError && /\$\.claims is missing or malformed/.test(e.message));
    assert.deepEqual(readdirSync(dir), ['report.json']);
  });

  it('re-renders a saved report into --out', async function () {
    requireTool(this, 'chromium');
    // One section with one figure keeps this end-to-end check quick; write_report.test.ts covers the rest.
    const full = fixtureInput();
    const small = {...full, sections: [{...full.sections[0], figures: full.sections[0].figures.slice(0, 1)}]};
    const path = join(dir, 'saved.json');
    writeFileSync(path, JSON.stringify(small));
    const out = join(dir, 'out');
    const r = await run(['--input', path, '--out', out]);
    assert.equal(r.code, 0);
    assert.match(r.out, /report\.pdf.*1 figures/);
    assert.equal(readFileSync(join(out, 'report.pdf')).subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(existsSync(join(out, 'figures', `${small.sections[0].figures[0].id}.png`)));
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), JSON.parse(JSON.stringify(small)));
  });
});
