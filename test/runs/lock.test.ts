import {strict as assert} from 'node:assert';
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {acquireLease, inspectLock, tryLease, type LeaseHolder} from '../../src/runs/lock';
import {REPO_ROOT} from '../../src/runs/code_version';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves to the lease, or to 'timeout' when it is still not ours after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([p, sleep(ms).then(() => 'timeout' as const)]);
}

describe('runs: leases (locks that hold across hosts)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-lease-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('is exclusive, says who holds it, and is removed on release', () => {
    const path = join(dir, 'lock');
    const a = tryLease(path, {ttlMs: 5000});
    assert.ok(a);
    assert.equal(tryLease(path, {ttlMs: 5000}), undefined);
    const state = inspectLock(path);
    assert.equal(state.kind, 'held');
    assert.equal(state.kind === 'held' && state.holder.pid, process.pid);
    a.release();
    assert.ok(!existsSync(path));
    a.release(); // idempotent
  });

  it('is renewed by its heartbeat even while the main thread is blocked (training)', async () => {
    const path = join(dir, 'lock');
    const lease = tryLease(path, {ttlMs: 200})!;
    const before = readFileSync(path, 'utf8');
    const t0 = Date.now();
    while (Date.now() - t0 < 400) { /* a synchronous epoch */ }
    const after = JSON.parse(readFileSync(path, 'utf8')) as LeaseHolder;
    assert.notEqual(JSON.stringify(after), before);
    assert.ok((after.renewals ?? 0) >= 1, `renewals ${after.renewals}`);
    lease.release();
  });

  it('a live holder that renews is never taken over, however long it holds', async () => {
    const path = join(dir, 'lock');
    // Generous against a loaded machine: the heartbeat renews every 100 ms, the lease lasts 400 ms.
    const holder = tryLease(path, {ttlMs: 400})!;
    const messages: string[] = [];
    const waiting = acquireLease(path, (m) => messages.push(m), {ttlMs: 400});
    assert.equal(await within(waiting, 1500), 'timeout', 'taken over from a live holder');
    assert.match(messages[0], new RegExp(`waiting for lock ${path}: held by process ${process.pid} on host .* taken over when not renewed for 0.4 s.*rm ${path}`));
    holder.release();
    const mine = await waiting;
    assert.ok(!holder.lost());
    mine.release();
  });

  it('a lease from another host that stops being renewed is taken over after its lease time, not before', async () => {
    const path = join(dir, 'lock');
    const dead: LeaseHolder = {pid: 1, host: 'some-other-host', since: 'x', token: 'ffff', renewedAt: 'x', ttlMs: 600, renewals: 3};
    writeFileSync(path, JSON.stringify(dead));
    const messages: string[] = [];
    const t0 = Date.now();
    const lease = await acquireLease(path, (m) => messages.push(m), {ttlMs: 600, pollMs: 20});
    const waited = Date.now() - t0;
    assert.ok(waited >= 600, `took over after ${waited} ms`);
    assert.ok(messages.some((m) => /taking over stale lock .*has not renewed it for 1 s \(lease time 0.6 s\)/.test(m)), messages.join('\n'));
    lease.release();
  });

  it('a holder killed on this host (SIGKILL) is taken over at once, without waiting for its lease to expire', async () => {
    const path = join(dir, 'lock');
    const script = `const {tryLease} = require(${JSON.stringify(join(REPO_ROOT, 'dist/src/runs/lock.js'))});
      tryLease(${JSON.stringify(path)}, {ttlMs: 60000}); console.log('held'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
    await new Promise<void>((res) => child.stdout.on('data', () => res()));
    assert.equal(inspectLock(path).kind, 'held');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const messages: string[] = [];
    const t0 = Date.now();
    const lease = await acquireLease(path, (m) => messages.push(m), {ttlMs: 60_000});
    assert.ok(Date.now() - t0 < 5000);
    assert.match(messages.join('\n'), new RegExp(`its holder, process ${child.pid} on this host, is gone`));
    lease.release();
  });

  for (const [what, make] of [
    ['an empty lock file', (p: string) => writeFileSync(p, '')],
    ['a lock that is a directory', (p: string) => mkdirSync(p)],
    ['a lock that is not JSON', (p: string) => writeFileSync(p, 'garbage')],
  ] as const) {
    it(`${what} is named, with how to clear it, and treated as stale after the grace period`, async () => {
      const path = join(dir, 'lock');
      make(path);
      const messages: string[] = [];
      const t0 = Date.now();
      const lease = await acquireLease(path, (m) => messages.push(m), {ttlMs: 5000, graceMs: 400, pollMs: 20});
      assert.ok(Date.now() - t0 >= 400);
      assert.match(messages[0], new RegExp(`lock ${path} is .*treated as stale once unchanged for 0.4 s .*rm -r ${path}`));
      assert.ok(messages.some((m) => /taking over stale lock/.test(m)));
      lease.release();
    });
  }

  it('two waiters on one dead lease: exactly one takes it over, the other keeps waiting', async () => {
    const path = join(dir, 'lock');
    writeFileSync(path, JSON.stringify({pid: 1, host: 'gone-host', since: 'x', token: 'dead', ttlMs: 300}));
    const opts = {ttlMs: 300, pollMs: 10};
    const a = acquireLease(path, () => {}, opts), b = acquireLease(path, () => {}, opts);
    const first = await Promise.race([a, b]);
    const other = first === (await within(a, 0)) ? b : a;
    assert.equal(await within(other, 1200), 'timeout', 'both waiters hold the lease');
    first.release();
    (await other).release();
  });

  it('a holder that makes no progress (hung) stops renewing, so its lease expires and is taken over', async () => {
    const path = join(dir, 'lock');
    const hung = tryLease(path, {ttlMs: 400, stallMs: 600})!;
    const busy = tryLease(join(dir, 'lock2'), {ttlMs: 400, stallMs: 600})!;
    const timer = setInterval(() => busy.progress(), 50);
    const messages: string[] = [];
    const t0 = Date.now();
    const taken = await acquireLease(path, (m) => messages.push(m), {ttlMs: 400, pollMs: 20});
    assert.ok(Date.now() - t0 >= 600, 'taken over before the holder stalled');
    assert.match(messages.join('\n'), /taking over stale lock .*has not renewed it/);
    const waiting = acquireLease(join(dir, 'lock2'), () => {}, {ttlMs: 400, pollMs: 20});
    assert.equal(await within(waiting, 1200), 'timeout', 'a holder that progresses lost its lease');
    clearInterval(timer);
    busy.release();
    (await waiting).release();
    taken.release();
    hung.release();
    assert.ok(hung.lost());
  });

  it('a waiter repeats what it waits for (never silent)', async () => {
    const path = join(dir, 'lock');
    const holder = tryLease(path, {ttlMs: 5000})!;
    const messages: string[] = [];
    const waiting = acquireLease(path, (m) => messages.push(m), {ttlMs: 5000, remindMs: 200, pollMs: 20});
    await sleep(700);
    holder.release();
    (await waiting).release();
    assert.ok(messages.filter((m) => /still waiting \(\d+ s\) for lock/.test(m)).length >= 2, messages.join('\n'));
  });
});
