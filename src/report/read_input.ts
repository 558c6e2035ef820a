import {readFileSync} from 'node:fs';
import {Verdict, type ClaimVerdict} from '../claims/claim';
import {ReproError} from '../util/errors';
import type {ReportInput} from './model';
import {checkFigureId, checkFigureSpec} from './figure_safety';
import {validateReportInput} from './write_report';

/**
 * Reads a saved ReportInput (the report.json that writeReport leaves beside report.pdf) so that a
 * report can be re-rendered without the pipeline. A hand-edited or truncated file gets an error
 * that names the file and the JSON path of the first bad field, never a half-drawn report.
 */
export function readReportInput(path: string): ReportInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ReproError(`cannot read the report input ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {expected: 'the report.json that `repro reproduce` writes beside report.pdf', fix: 'pass --input with an existing file', cause: err});
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReproError(`the report input ${path} is not valid JSON: ${(err as Error).message}`,
      {expected: 'a JSON ReportInput as written by writeReport', fix: 'regenerate it with `repro reproduce`', cause: err});
  }
  return parseReportInput(value, path);
}

/** Checks the shape of a parsed ReportInput; `where` names the source in error messages. */
export function parseReportInput(value: unknown, where = 'report input'): ReportInput {
  const bad = (at: string, expected: string): never => {
    throw new ReproError(`${where}: ${at} is missing or malformed`,
      {expected, fix: 'regenerate the file with `repro reproduce` instead of editing it by hand'});
  };
  const obj = (v: unknown, at: string): Record<string, unknown> =>
    (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(at, 'an object'));
  const str = (o: Record<string, unknown>, k: string, at: string): string =>
    (typeof o[k] === 'string' ? (o[k] as string) : bad(`${at}.${k}`, 'a string'));
  const optStr = (o: Record<string, unknown>, k: string, at: string): void => {
    if (o[k] !== undefined && typeof o[k] !== 'string') bad(`${at}.${k}`, 'a string or nothing');
  };
  const arr = (o: Record<string, unknown>, k: string, at: string): unknown[] =>
    (Array.isArray(o[k]) ? (o[k] as unknown[]) : bad(`${at}.${k}`, 'an array'));
  const strings = (o: Record<string, unknown>, k: string, at: string): void =>
    arr(o, k, at).forEach((s, i) => { if (typeof s !== 'string') bad(`${at}.${k}[${i}]`, 'a string'); });
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const optNum = (o: Record<string, unknown>, k: string, at: string): void => {
    if (o[k] !== undefined && !isNum(o[k])) bad(`${at}.${k}`, 'a finite number or nothing');
  };
  const optOneOf = (o: Record<string, unknown>, k: string, at: string, allowed: readonly string[]): void => {
    if (o[k] !== undefined && !allowed.includes(o[k] as string)) bad(`${at}.${k}`, `one of ${allowed.map((a) => `"${a}"`).join(', ')} or nothing`);
  };

  const UNITS = ['%', 'M', 'G', '', 'points'];
  const root = obj(value, '$');
  for (const k of ['title', 'profile', 'generatedAt']) str(root, k, '$');
  optStr(root, 'subtitle', '$');
  optStr(root, 'dataNote', '$');
  strings(root, 'summary', '$');

  const verdicts = Object.values(Verdict) as string[];
  arr(root, 'claims', '$').forEach((c, i) => {
    const at = `$.claims[${i}]`;
    const o = obj(c, at);
    for (const k of ['id', 'statement', 'criterion']) str(o, k, at);
    const src = obj(o.source, `${at}.source`);
    str(src, 'doc', `${at}.source`);
    str(src, 'where', `${at}.source`);
    if (!verdicts.includes(o.verdict as string)) bad(`${at}.verdict`, `one of ${verdicts.map((v) => `"${v}"`).join(', ')}`);
    if (o.measured !== undefined && typeof o.measured !== 'number' && typeof o.measured !== 'boolean') {
      bad(`${at}.measured`, 'a number, a boolean or nothing');
    }
    const e = obj(o.expected, `${at}.expected`);
    if (!['lt', 'gt', 'approx', 'true'].includes(e.holds as string)) bad(`${at}.expected.holds`, '"lt", "gt", "approx" or "true"');
    optNum(e, 'paper', `${at}.expected`);
    optStr(e, 'paperText', `${at}.expected`);
    optNum(e, 'threshold', `${at}.expected`);
    optOneOf(e, 'unit', `${at}.expected`, UNITS);
    if (e.tolerance !== undefined) {
      const t = obj(e.tolerance, `${at}.expected.tolerance`);
      optNum(t, 'abs', `${at}.expected.tolerance`);
      optNum(t, 'rel', `${at}.expected.tolerance`);
    }
    optStr(o, 'note', at);
    optStr(o, 'command', at);
    // The evidence of claims decided over seeds (ClaimVerdict's optional fields).
    optNum(o, 'estimate', at);
    optOneOf(o, 'unit', at, UNITS);
    if (o.ci !== undefined && !(Array.isArray(o.ci) && o.ci.length === 2 && o.ci.every(isNum))) bad(`${at}.ci`, 'two finite numbers [low, high] or nothing');
    if (o.level !== undefined && !(isNum(o.level) && o.level > 0 && o.level < 1)) bad(`${at}.level`, 'an interval level between 0 and 1 (e.g. 0.975) or nothing');
    if (o.n !== undefined && !(Number.isInteger(o.n) && (o.n as number) >= 0)) bad(`${at}.n`, 'a non-negative integer or nothing');
    optStr(o, 'rule', at);
    optStr(o, 'interval', at);
    if (o.perSeed !== undefined && !(Array.isArray(o.perSeed) && o.perSeed.every(isNum))) bad(`${at}.perSeed`, 'an array of finite numbers or nothing');
    optStr(o, 'decide', at);
  });

  arr(root, 'sections', '$').forEach((s, i) => {
    const at = `$.sections[${i}]`;
    const o = obj(s, at);
    str(o, 'id', at);
    str(o, 'title', at);
    strings(o, 'claimIds', at);
    strings(o, 'paragraphs', at);
    arr(o, 'figures', at).forEach((f, j) => {
      const fo = obj(f, `${at}.figures[${j}]`);
      const id = str(fo, 'id', `${at}.figures[${j}]`);
      checkFigureId(id, `${where}: ${at}.figures[${j}].id`);
      str(fo, 'caption', `${at}.figures[${j}]`);
      // Data inline, no links: a report.json from elsewhere must not make the renderer read files or the network.
      checkFigureSpec(obj(fo.spec, `${at}.figures[${j}].spec`), `${where}: ${at}.figures[${j}]`);
    });
    arr(o, 'tables', at).forEach((t, j) => {
      const tat = `${at}.tables[${j}]`;
      const to = obj(t, tat);
      str(to, 'id', tat);
      str(to, 'caption', tat);
      arr(to, 'columns', tat).forEach((c, k) => {
        const co = obj(c, `${tat}.columns[${k}]`);
        str(co, 'label', `${tat}.columns[${k}]`);
        if (co.align !== 'left' && co.align !== 'right') bad(`${tat}.columns[${k}].align`, '"left" or "right"');
      });
      arr(to, 'rows', tat).forEach((r, k) => {
        if (!Array.isArray(r) || r.some((cell) => typeof cell !== 'string')) bad(`${tat}.rows[${k}]`, 'an array of strings');
      });
    });
  });

  const p = obj(root.provenance, '$.provenance');
  for (const k of ['commit', 'backend', 'device', 'node', 'tfjs']) str(p, k, '$.provenance');
  if (typeof p.dirty !== 'boolean') bad('$.provenance.dirty', 'true or false');
  if (!isNum(p.threads)) bad('$.provenance.threads', 'a number');
  arr(p, 'data', '$.provenance').forEach((d, i) => {
    const o = obj(d, `$.provenance.data[${i}]`);
    str(o, 'name', `$.provenance.data[${i}]`);
    str(o, 'checksum', `$.provenance.data[${i}]`);
  });
  arr(p, 'runs', '$.provenance').forEach((r, i) => {
    const at = `$.provenance.runs[${i}]`;
    const o = obj(r, at);
    for (const k of ['hash', 'experiment', 'name']) str(o, k, at);
    if (!['done', 'diverged', 'missing'].includes(o.status as string)) bad(`${at}.status`, '"done", "diverged" or "missing"');
  });

  arr(root, 'outOfScope', '$').forEach((x, i) => {
    const o = obj(x, `$.outOfScope[${i}]`);
    str(o, 'what', `$.outOfScope[${i}]`);
    str(o, 'why', `$.outOfScope[${i}]`);
  });
  // Every field the renderer reads has been checked above; the claims' own type is the contract.
  const input = value as ReportInput & {claims: readonly ClaimVerdict[]};
  // Well-formed but inconsistent (a duplicate id, a section naming an unknown claim): still the
  // file's fault, so a ReproError naming it rather than an internal error from writeReport.
  try {
    validateReportInput(input);
  } catch (err) {
    throw new ReproError(`${where}: ${(err as Error).message.replace(/^report: /, '')}`,
      {expected: 'unique claim and figure ids, and sections that name only claims in the claims table',
        fix: 'regenerate the file with `repro reproduce` instead of editing it by hand', cause: err});
  }
  return input;
}
