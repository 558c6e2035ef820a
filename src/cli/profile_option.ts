import {isProfile, Profile} from '../../experiments/profile';
import {ReproError} from '../util/errors';
import type {ParsedArgs} from './args';

/** --profile (default quick), checked against the Profile list. */
export function profileOption(command: string, args: ParsedArgs): Profile {
  const raw = args.values.get('profile') ?? 'quick';
  if (!isProfile(raw)) {
    throw new ReproError(`repro ${command}: unknown profile "${raw}"`, {expected: `one of ${Object.values(Profile).join(', ')}`,
      fix: 'smoke (tests, seconds), quick (default: 2-core CPU, < 60 min), standard (2-core CPU, ≈ 10 h, resumable), paper (the published recipe, a GPU)'});
  }
  return raw;
}

/** --only A,B1B2 → ['A', 'B1B2']. */
export function onlyOption(args: ParsedArgs): string[] {
  return (args.values.get('only') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
