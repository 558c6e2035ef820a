#!/usr/bin/env node
// Writes notebooks/<id>.ipynb for an experiment of the registry (experiments/index.ts), output-free:
// title and claims as markdown, a parameters cell, then the pipeline for that one experiment
// (the same `reproduce` the CLI runs), its claims table and its report figures inline.
// usage: node scripts/new_experiment_notebook.mjs ID [ID...]   (after `npm run build`)
import {writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const repro = createRequire(import.meta.url)(join(root, 'dist', 'src', 'index.js'));
const ids = process.argv.slice(2);
if (ids.length === 0) {
  process.stderr.write(`usage: node scripts/new_experiment_notebook.mjs ID...\n  ids: ${repro.EXPERIMENTS.map((e) => e.id).join(' ')}\n`);
  process.exit(2);
}
const lines = (text) => text.split('\n').map((l, i, a) => (i < a.length - 1 ? l + '\n' : l));
for (const id of ids) {
  const exp = repro.EXPERIMENTS.find((e) => e.id === id);
  if (!exp) { process.stderr.write(`unknown experiment "${id}"; known: ${repro.EXPERIMENTS.map((e) => e.id).join(' ')}\n`); process.exit(2); }
  const claims = exp.claims.map((c) => `- **${c.id}** (${c.source.doc} ${c.source.where}): ${c.statement}`).join('\n');
  const cells = [
    {cell_type: 'markdown', id: 'title', metadata: {}, source: lines(
      `# ${exp.id}: ${exp.title}\n\n${claims}\n\nRuns this experiment through the same pipeline as \`npm run reproduce -- --only ${exp.id}\`: ` +
      'cached runs are read from the run store ($REPRO_STORE or runs/), missing ones are trained with per-epoch progress ' +
      '(`train = false` only reads). Change `profile` to `quick` for real data.')},
    {cell_type: 'code', id: 'parameters', metadata: {tags: ['parameters']}, execution_count: null, outputs: [], source: lines(
      `let experiment = '${exp.id}';\nlet profile = 'smoke';   // smoke (synthetic, seconds), quick (real data, CPU), paper (GPU)\nlet train = true;       // false: evaluate what the store already has`)},
    {cell_type: 'code', id: 'run', metadata: {}, execution_count: null, outputs: [], source: lines(
      "import * as repro from 'resnet-repro';\n" +
      "if (!repro.isProfile(profile)) throw new Error(`profile must be smoke, quick or paper, got \"${profile}\"`);\n" +
      'const outcome = await repro.reproduce({profile: profile, only: [experiment], store: new repro.RunStore(), noReport: true,\n' +
      '  noTraining: !train, log: (line: string) => console.log(line)});\n' +
      "console.log(`${outcome.trained} run(s) trained, ${outcome.plan.runs.length} planned`);")},
    {cell_type: 'code', id: 'claims', metadata: {}, execution_count: null, outputs: [], source: lines(
      'repro.showTable(outcome.claims.map((v) => {\n' +
      '  const cells = repro.claimCells(v);\n' +
      "  return {claim: v.id, paper: cells.paper, ours: cells.ours, criterion: cells.criterion, verdict: v.verdict, note: v.note ?? ''};\n" +
      "}), 'Claims');")},
    {cell_type: 'code', id: 'figures', metadata: {}, execution_count: null, outputs: [], source: lines(
      'const section = outcome.input.sections.find((s) => s.id === experiment);\n' +
      "for (const p of section?.paragraphs ?? []) console.log(p);\n" +
      'for (const f of section?.figures ?? []) {\n  console.log(f.caption);\n  await repro.showFigure(f.spec);\n}\n' +
      "for (const t of section?.tables ?? []) {\n" +
      "  repro.showTable(t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.label, r[i]]))), t.caption);\n}")},
  ];
  const nb = {cells, metadata: {kernelspec: {display_name: 'TypeScript', language: 'typescript', name: 'tslab'},
    language_info: {name: 'typescript'}}, nbformat: 4, nbformat_minor: 5};
  const file = join(root, 'notebooks', `${id}.ipynb`);
  writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
  process.stdout.write(`wrote ${file}\n`);
}
