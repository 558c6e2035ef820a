import {readFileSync} from 'node:fs';
import {ReproError} from '../util/errors';

/** The parts of the nbformat 4 JSON that the runner reads and writes; other fields pass through untouched. */
export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  metadata: {tags?: string[]; [key: string]: unknown};
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

export function readNotebook(path: string): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ReproError(`notebook ${path} cannot be read: ${(err as Error).message}`,
      {expected: 'a Jupyter notebook (nbformat 4 JSON)', fix: 'check the file name, or restore it with git'});
  }
  const nb = json as Partial<Notebook>;
  if (typeof nb !== 'object' || nb === null || !Array.isArray(nb.cells) || nb.nbformat !== 4) {
    throw new ReproError(`notebook ${path} is not an nbformat 4 notebook`,
      {expected: 'a JSON object with "cells" and "nbformat": 4', fix: 'save it from Jupyter (nbformat 4)'});
  }
  return nb as Notebook;
}

/** Why a committed notebook is not clean (outputs or execution counts), or undefined when it is. */
export function staleOutputs(nb: Notebook): string | undefined {
  for (const [i, cell] of nb.cells.entries()) {
    if (cell.cell_type !== 'code') continue;
    if ((cell.outputs?.length ?? 0) > 0) return `cell ${i} has ${cell.outputs?.length} output(s)`;
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      return `cell ${i} has execution_count ${cell.execution_count}`;
    }
  }
  return undefined;
}

/** The notebook without outputs and execution counts: what is committed. */
export function clearOutputs(nb: Notebook): Notebook {
  return {...nb, cells: nb.cells.map((c) => c.cell_type === 'code' ? {...c, outputs: [], execution_count: null} : c)};
}

/** Notebook JSON as Jupyter writes it (1-space indent, trailing newline), so a clean step leaves no diff noise. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + '\n';
}

/** Every MIME type of rich output (display_data / execute_result) in an executed notebook. */
export function outputMimeTypes(nb: Notebook): Set<string> {
  const types = new Set<string>();
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === 'display_data' || o.output_type === 'execute_result') {
        for (const t of Object.keys(o.data ?? {})) types.add(t);
      }
    }
  }
  return types;
}
