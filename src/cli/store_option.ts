import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {RunStore} from '../runs/store';
import type {ParsedArgs} from './args';

/**
 * --store DIR (default runs/ or $REPRO_STORE). A named folder that does not exist is almost always a
 * typo: say so on stderr rather than report "the store is empty" or silently create a fresh store.
 */
export function storeOption(command: string, args: ParsedArgs, warn: (line: string) => void = (l) => process.stderr.write(l + '\n')): RunStore {
  const dir = args.values.get('store');
  if (dir !== undefined && !existsSync(dir)) {
    warn(`warning: repro ${command}: --store ${dir} does not exist (${resolve(dir)}): no stored runs can be read from it; ` +
      'check the path (runs trained now would create it)');
  }
  return new RunStore(dir === undefined ? undefined : resolve(dir));
}
