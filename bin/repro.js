#!/usr/bin/env node
// The `repro` command. Thin: the compiled CLI lives in dist/ (built by `npm run setup`).
'use strict';
const path = require('path');
const fs = require('fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(
    'repro: the project is not built yet (missing ' + path.relative(process.cwd(), entry) + ').\n' +
    'Run `npm run setup` (installs dependencies and compiles), then try again.\n');
  process.exit(2);
}
require(entry).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { require(path.join(__dirname, '..', 'dist', 'src', 'cli', 'fail.js')).fail(err); });
