import {strict as assert} from 'node:assert';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {launchBrowser, resolveChromium} from '../../src/report/browser';
import {writeReport} from '../../src/report/write_report';
import {isReproError} from '../../src/util/errors';
import {fixtureInput} from './fixture';

describe('report/browser', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'repro-browser-test-')); });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('names what to install when the given Chromium does not exist', () => {
    const missing = join(dir, 'no-such-chromium');
    assert.throws(() => resolveChromium(missing), (err: unknown) => isReproError(err)
      && err.message.includes(missing) && /apt-get install chromium/.test(err.message));
  });

  it('says the path came from REPRO_CHROMIUM when it did', () => {
    assert.throws(() => resolveChromium(undefined, {REPRO_CHROMIUM: '/nonexistent/chromium', PATH: ''}), /from REPRO_CHROMIUM/);
  });

  it('finds nothing on an empty PATH only when /usr/bin/chromium is absent too', function () {
    let found: string | undefined;
    try { found = resolveChromium(undefined, {PATH: ''}); } catch (err) { assert.ok(isReproError(err)); assert.match(err.message, /not at \/usr\/bin\/chromium nor on PATH/); }
    if (found !== undefined) assert.equal(found, '/usr/bin/chromium');
  });

  it('rejects a file that is not executable', () => {
    const notExe = join(dir, 'chromium');
    writeFileSync(notExe, '#!/bin/sh\n', {mode: 0o644});
    assert.throws(() => resolveChromium(notExe), /Chromium not found at/);
  });

  it('fails writeReport with the same clear error before writing anything', async () => {
    const out = join(dir, 'report');
    await assert.rejects(writeReport(fixtureInput(), out, {executablePath: join(dir, 'missing')}),
      (err: unknown) => isReproError(err) && /apt-get install chromium/.test(err.message));
    assert.ok(!existsSync(out), 'no half-made report folder');
  });

  it('reports a binary that is not a browser as one that did not start', async () => {
    const fake = join(dir, 'fake-chromium');
    writeFileSync(fake, '#!/bin/sh\nexit 3\n', {mode: 0o755});
    await assert.rejects(launchBrowser({executablePath: fake}), (err: unknown) => isReproError(err) && /did not start/.test(err.message));
  });
});
