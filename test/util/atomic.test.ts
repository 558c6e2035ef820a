import {strict as assert} from 'node:assert';
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {writeFileAtomic, writeJsonAtomic} from '../../src/util/atomic';

describe('util/atomic', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-atomic-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('writes the whole content and leaves no temp file', () => {
    const path = join(dir, 'sub', 'a.json');
    writeJsonAtomic(path, {x: 1});
    writeFileAtomic(path, 'second');
    assert.equal(readFileSync(path, 'utf8'), 'second');
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['a.json']);
  });
});
