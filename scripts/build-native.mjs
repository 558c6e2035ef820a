#!/usr/bin/env node
// Builds the cpu-native engine's addon (build/Release/repro_native.node) with node-gyp against
// Node's own headers (no download). Skips the build when the addon is newer than every source.
// On failure it prints why and what to install, and exits non-zero: setup.mjs then warns and the
// project carries on with the pure-JS backend.
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, rmSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'build', 'Release', 'repro_native.node');
const nativeDir = join(root, 'src', 'engine', 'native');
const verbose = process.argv.includes('--verbose');
const say = (msg) => process.stderr.write(`[build-native] ${msg}\n`);
const fail = (why, fix) => {
  say(`FAILED: ${why}`);
  say(`  fix: ${fix}`);
  say('  until then training runs on the pure-JS cpu backend, about 1000x slower');
  process.exit(1);
};

const mtime = (p) => { try { return statSync(p).mtimeMs; } catch { return 0; } };
const sources = [join(root, 'binding.gyp'), join(root, 'scripts', 'build-native.mjs'),
  ...readdirSync(nativeDir).map((f) => join(nativeDir, f))];
const newest = Math.max(...sources.map(mtime));
if (existsSync(addon) && mtime(addon) >= newest && !process.argv.includes('--force')) {
  if (verbose) say('native engine: up to date');
  process.exit(0);
}

// Node's headers: Debian's nodejs-dev puts them in /usr/include/node; a tarball install has them
// next to the binary. node-gyp downloads them otherwise, which cannot work offline.
const nodedirs = [dirname(dirname(process.execPath)), '/usr', '/usr/local'];
const nodedir = nodedirs.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
if (!nodedir) {
  fail('Node\'s C headers (include/node/node_api.h) were not found in ' + nodedirs.join(', '),
    'install them: `apt-get install libnode-dev` (Debian) or use a Node tarball that ships include/');
}
const dnnlHeaders = ['/usr/include/dnnl.hpp', '/usr/local/include/dnnl.hpp'];
if (!dnnlHeaders.some((p) => existsSync(p))) {
  fail('oneDNN headers (dnnl.hpp) not found', '`apt-get install libdnnl-dev` (oneDNN, Debian)');
}
const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
if (!existsSync(gyp)) fail('node-gyp is not installed', 'run `npm ci` first');

say(`building the native engine (node-gyp, nodedir=${nodedir}) ...`);
const jobs = String(Math.max(1, Math.min(2, (await import('node:os')).availableParallelism())));
// node-gyp's ~30 lines of "gyp info" are shown only when the build fails (or with --verbose).
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs', jobs],
  {cwd: root, stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20});
if (r.status !== 0) {
  if (!verbose) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  rmSync(addon, {force: true});  // never leave a half-built addon that looks up to date
  fail(`node-gyp rebuild exited with ${r.status ?? r.signal} (compiler output above)`,
    'install a C++17 compiler and oneDNN: `apt-get install g++ make python3 libdnnl-dev`');
}
if (verbose) say(`native engine built: ${addon}`);
