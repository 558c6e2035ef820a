import {ReproError} from '../util/errors';

/**
 * A report figure is rendered from a report.json that may come from anyone, so a figure may
 * neither read anything nor link anywhere: its data is inline (`data.values`), and a spec naming
 * a `url` (data or image, local path or http) or an `href` (a link, `javascript:` included) is
 * refused with an error naming the figure and the field. vega itself gets a loader that refuses
 * every load and strips every link, in case a spec reaches it some other way.
 */

/** File-safe figure ids: figures/<id>.vl.json, .svg and .png never leave figures/. */
export const FIGURE_ID = /^[A-Za-z0-9][\w.-]{0,127}$/;

const FORBIDDEN_KEYS = new Map([
  ['url', 'report figures carry their data inline (data.values) and load nothing: no files, no network'],
  ['href', 'report figures have no links (a link in a PDF or HTML page could run script or leave the report)'],
]);
/** Deeper than any real vega-lite spec; bounds the walk on hostile input. */
const MAX_DEPTH = 64;

export function checkFigureId(id: string, where: string): void {
  if (!FIGURE_ID.test(id) || id.includes('..')) {
    throw new ReproError(`${where}: figure id ${JSON.stringify(id.slice(0, 80))} is not file-safe`,
      {expected: 'letters, digits, ".", "_" and "-" (no "/", no ".."), at most 128 characters, starting with a letter or digit',
        fix: 'rename the figure; its id names the files figures/<id>.vl.json, .svg and .png'});
  }
}

/** Throws a ReproError naming `where` and the JSON path of the first field that would load or link. */
export function checkFigureSpec(spec: unknown, where: string): void {
  const stack: {value: unknown; path: string; depth: number}[] = [{value: spec, path: 'spec', depth: 0}];
  while (stack.length > 0) {
    const {value, path, depth} = stack.pop() as {value: unknown; path: string; depth: number};
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) throw new ReproError(`${where}: ${path} is nested more than ${MAX_DEPTH} levels deep`, {expected: 'a vega-lite spec'});
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({value: v, path: `${path}[${i}]`, depth: depth + 1}));
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      const why = FORBIDDEN_KEYS.get(k);
      if (why !== undefined) {
        throw new ReproError(`${where}: ${path}.${k} is not allowed (${JSON.stringify(v)?.slice(0, 80)})`,
          {expected: why, fix: 'inline the data with data.values and remove links; figures made by src/report/figures/ already do'});
      }
      stack.push({value: v, path: `${path}.${k}`, depth: depth + 1});
    }
  }
}

const refused = (what: string) => Promise.reject(new ReproError(`a report figure tried to load ${what.slice(0, 200)}`,
  {expected: 'figures whose data is inline', fix: 'inline the data with data.values'}));

/** vega's Loader interface, refusing everything: no data loads, no images, and links resolve to nothing. */
export const REFUSING_LOADER = {
  load: (uri: string) => refused(uri),
  // vega-scenegraph resolves a mark's href through sanitize and assumes an object comes back: an
  // empty one drops the link (a rejection there is an unhandled one, which ends Node).
  sanitize: (uri: string, options: {context?: string}) =>
    options?.context === 'href' ? Promise.resolve({}) : refused(uri),
  http: (uri: string) => refused(uri),
  file: (path: string) => refused(path),
};
