import {strict as assert} from 'node:assert';
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {codeVersionOf} from '../../src/runs/code_version';
import {codeVersionHistory} from '../../src/runs/code_version_history';

describe('runs/code_version_history', () => {
  let root: string;
  const git = (...args: string[]) => execFileSync('git', args, {cwd: root, stdio: ['ignore', 'pipe', 'ignore']}).toString().trim();
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), {recursive: true});
    writeFileSync(join(root, path), text);
  };
  /** Commits everything and returns the short hash and the code version of the tree as it is on disk. */
  const commit = (message: string) => {
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', message);
    return {commit: git('rev-parse', '--short', 'HEAD'), version: codeVersionOf(root)};
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'repro-code-history-'));
    git('init', '-q');
  });
  after(() => rmSync(root, {recursive: true, force: true}));

  it('hashes each commit that changed the training code exactly as codeVersion hashes that checkout', () => {
    // "x.ts" beside the directory "x/": git lists x.ts first, codeVersion's walk lists x/ first.
    write('src/engine/x.ts', 'one');
    write('src/engine/x/inner.cc', 'two');
    write('src/train/a.ts', 'three');
    write('src/runs/spec.ts', 'four');
    write('src/engine/notes.md', 'not training code');
    const c1 = commit('first');
    write('src/report/page.ts', 'report code is not training code');
    const c2 = commit('report only');
    write('src/engine/x/inner.cc', 'two, changed');
    const c3 = commit('engine change');
    write('README.md', 'docs');
    const c4 = commit('docs only');

    assert.equal(c2.version, c1.version, 'a commit outside the training code keeps the version');
    assert.notEqual(c3.version, c1.version);
    assert.deepEqual(codeVersionHistory(root), [
      {version: c3.version, first: c3.commit, last: c4.commit},
      {version: c1.version, first: c1.commit, last: c2.commit},
    ]);
  });

  it('refuses a directory that is not a git checkout', () => {
    const plain = mkdtempSync(join(tmpdir(), 'repro-no-git-'));
    try {
      assert.throws(() => codeVersionHistory(plain));
    } finally {
      rmSync(plain, {recursive: true, force: true});
    }
  });
});
