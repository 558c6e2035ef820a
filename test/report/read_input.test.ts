import {strict as assert} from 'node:assert';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseReportInput, readReportInput} from '../../src/report/read_input';
import {ReproError} from '../../src/util/errors';
import {fixtureInput} from './fixture';

/** The fixture as it comes back from report.json: plain JSON, mutable for the tests. */
function fixtureJson(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(fixtureInput())) as Record<string, unknown>;
}

describe('report/read_input', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-read-input-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('reads back exactly what writeReport saves as report.json', () => {
    const path = join(dir, 'report.json');
    writeFileSync(path, JSON.stringify(fixtureInput(), null, 2));
    assert.deepEqual(readReportInput(path), fixtureJson());
  });

  it('names the JSON path of the first malformed field', () => {
    const cases: [string, (j: Record<string, unknown>) => void, RegExp][] = [
      ['verdict', (j) => { (j.claims as Record<string, unknown>[])[1].verdict = 'maybe'; }, /\$\.claims\[1\]\.verdict.*\n.*"reproduced", "not reproduced", "inconclusive", "not run", "encoded"/],
      ['figure spec', (j) => { ((j.sections as Record<string, unknown>[])[0].figures as Record<string, unknown>[])[0].spec = 'x'; }, /\$\.sections\[0\]\.figures\[0\]\.spec/],
      ['table row', (j) => { ((j.sections as Record<string, unknown>[])[5].tables as Record<string, unknown>[])[0].rows = [[1]]; }, /\$\.sections\[5\]\.tables\[0\]\.rows\[0\]/],
      ['provenance', (j) => { delete (j.provenance as Record<string, unknown>).commit; }, /\$\.provenance\.commit/],
      ['run status', (j) => { ((j.provenance as Record<string, unknown>).runs as Record<string, unknown>[])[0].status = 'ok'; }, /\$\.provenance\.runs\[0\]\.status/],
      ['title', (j) => { j.title = 3; }, /\$\.title/],
      ['duplicate claim id', (j) => { (j.claims as Record<string, unknown>[])[1].id = 'A1'; }, /claim id "A1" appears twice/],
      ['unknown claim in a section', (j) => { (j.sections as Record<string, unknown>[])[0].claimIds = ['Z9']; }, /section "degradation" names claim "Z9"/],
    ];
    for (const [name, corrupt, message] of cases) {
      const j = fixtureJson();
      corrupt(j);
      assert.throws(() => parseReportInput(j, 'in.json'), (e: unknown) => e instanceof ReproError && /^in\.json: /.test(e.message) && message.test(e.message), name);
    }
  });

  it('says which file is missing or not JSON', () => {
    assert.throws(() => readReportInput(join(dir, 'nope.json')), (e: unknown) => e instanceof ReproError && /nope\.json: ENOENT/.test(e.message));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"title": "trunc');
    assert.throws(() => readReportInput(broken), (e: unknown) => e instanceof ReproError && /broken\.json is not valid JSON/.test(e.message));
  });
});
