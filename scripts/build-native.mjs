#!/usr/bin/env node
// Builds the cpu-native engine's addon (build/Release/repro_native.node) with node-gyp against
// Node's own headers (no download), linking Debian's oneDNN. Skips the build when the sources
// and binding.gyp are unchanged since the last successful build. On failure it prints why and
// what to install, and exits non-zero: setup.mjs then warns and the project runs on pure JS.
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'Release', 'repro_native.node');
const stamp = join(root, 'build', '.native-stamp');
const log = (msg) => process.stderr.write(`[build-native] ${msg}\n`);

function fail(why, what) {
  process.stderr.write(`[build-native] FAILED: ${why}\n[build-native] what to do: ${what}\n` +
    '[build-native] Until then training runs on the pure-JS cpu backend, which is ~1000x slower.\n');
  process.exit(1);
}

function sourceHash() {
  const h = createHash('sha256');
  const dir = join(root, 'src', 'engine', 'native');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  h.update(readFileSync(join(root, 'binding.gyp')));
  h.update(process.version);
  return h.digest('hex');
}

const hash = sourceHash();
if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) {
  log('native addon up to date');
  process.exit(0);
}

// Node's headers: Debian's nodejs-dev puts them in /usr/include/node; an official Node
// tarball ships them under <prefix>/include/node. Never let node-gyp download them.
const prefix = dirname(dirname(process.execPath));
const nodedir = [prefix, '/usr'].find((p) => existsSync(join(p, 'include', 'node', 'node_api.h')));
if (nodedir === undefined) {
  fail(`Node's C headers (node_api.h) were not found under ${prefix}/include/node or /usr/include/node`,
    'install Debian\'s `libnode-dev` (apt-get install -y libnode-dev) or use an official Node tarball');
}
if (!['/usr/include/dnnl.hpp', '/usr/include/oneapi/dnnl/dnnl.hpp'].some(existsSync)) {
  fail('oneDNN headers (dnnl.hpp) are missing', 'apt-get install -y libdnnl-dev (Debian 12+)');
}
const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
if (!existsSync(gyp)) fail('node-gyp is not installed in node_modules', 'run `npm ci` first');

log(`building the native addon (node-gyp, --nodedir=${nodedir})`);
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=max'],
  {cwd: root, stdio: 'inherit'});
if (r.status !== 0 || !existsSync(out)) {
  fail(`node-gyp rebuild exited with ${r.status ?? r.signal} (compiler output above)`,
    'install a C++17 compiler and make (apt-get install -y g++ make python3) and libdnnl-dev');
}
writeFileSync(stamp, hash + '\n');
log(`built ${out}`);
