import {ReproError} from '../util/errors';
import {cellSource, type Notebook, type NotebookCell} from './ipynb';

/** papermill's tags: the cell holding the defaults, and the cell the runner adds after it. */
export const PARAMETERS_TAG = 'parameters';
export const INJECTED_TAG = 'injected-parameters';

export type ParamValue = number | string | boolean;

export interface ParameterDefault {
  readonly name: string;
  readonly value: ParamValue;
}

// `let name = literal;` (an optional `: type` annotation allowed). `let`, so the injected cell can reassign it.
const DECLARATION = /^\s*(let|const|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w$'"| ]+)?=\s*(.+?)\s*;?\s*(?:\/\/.*)?$/;

function parseLiteral(raw: string): ParamValue | undefined {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) return Number(raw);
  const m = /^(['"])(.*)\1$/.exec(raw);
  return m ? m[2] : undefined;
}

export function findParametersCell(nb: Notebook): number {
  return nb.cells.findIndex((c) => c.cell_type === 'code' && (c.metadata.tags ?? []).includes(PARAMETERS_TAG));
}

/** The defaults of the notebook's "parameters" cell: one `let name = literal;` per line (number, string, boolean). */
export function parameterDefaults(nb: Notebook, file: string): ParameterDefault[] {
  const index = findParametersCell(nb);
  if (index < 0) return [];
  const out: ParameterDefault[] = [];
  for (const line of cellSource(nb.cells[index]).split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('//')) continue;
    const m = DECLARATION.exec(line);
    const value = m ? parseLiteral(m[3]) : undefined;
    if (!m || value === undefined) {
      throw new ReproError(`${file}: cannot read the parameters cell (cell ${index}) line "${line.trim()}"`,
        {expected: 'one `let name = literal;` per line, the literal a number, a quoted string, true or false',
          fix: 'move other code out of the cell tagged "parameters"'});
    }
    if (m[1] !== 'let') {
      throw new ReproError(`${file}: parameter ${m[2]} is declared with ${m[1]}`,
        {expected: '`let`, so that injected values can be assigned to it', fix: `write \`let ${m[2]} = ...\``});
    }
    out.push({name: m[2], value});
  }
  return out;
}

/** Parses `k=v` strings against the defaults: the value takes the type of the default. */
export function parseParams(assignments: readonly string[], defaults: readonly ParameterDefault[], file: string):
  Map<string, ParamValue> {
  const known = () => defaults.map((d) => `${d.name} (${typeof d.value}, default ${JSON.stringify(d.value)})`).join(', ') || '(none)';
  const out = new Map<string, ParamValue>();
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new ReproError(`--param "${a}" is not name=value`, {expected: 'e.g. --param epochs=3'});
    const name = a.slice(0, eq), raw = a.slice(eq + 1);
    const def = defaults.find((d) => d.name === name);
    if (!def) {
      throw new ReproError(`${file} has no parameter "${name}"`,
        {expected: `one of ${known()}`, fix: 'fix the name, or add it to the cell tagged "parameters"'});
    }
    out.set(name, typedValue(name, raw, def.value));
  }
  return out;
}

function typedValue(name: string, raw: string, fallback: ParamValue): ParamValue {
  if (typeof fallback === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) {
      throw new ReproError(`--param ${name}=${raw}: ${name} is a number`, {expected: `a number like ${fallback}`});
    }
    return n;
  }
  if (typeof fallback === 'boolean') {
    if (raw !== 'true' && raw !== 'false') {
      throw new ReproError(`--param ${name}=${raw}: ${name} is a boolean`, {expected: 'true or false'});
    }
    return raw === 'true';
  }
  return raw;
}

/** A copy of the notebook with a cell tagged "injected-parameters" right after the "parameters" cell (papermill's layout). */
export function injectParameters(nb: Notebook, values: ReadonlyMap<string, ParamValue>, file: string): Notebook {
  if (values.size === 0) return nb;
  const cells = nb.cells.filter((c) => !(c.metadata.tags ?? []).includes(INJECTED_TAG));
  const index = findParametersCell({...nb, cells});
  if (index < 0) {
    throw new ReproError(`${file} has no cell tagged "parameters"`, {fix: 'tag the cell with the defaults "parameters"'});
  }
  const lines = ['// Parameters injected by `repro notebook run`', ...[...values].map(([k, v]) => `${k} = ${JSON.stringify(v)};`)];
  const cell: NotebookCell = {
    cell_type: 'code', id: 'injected-parameters', metadata: {tags: [INJECTED_TAG]},
    source: lines.join('\n'), outputs: [], execution_count: null,
  };
  return {...nb, cells: [...cells.slice(0, index + 1), cell, ...cells.slice(index + 1)]};
}
