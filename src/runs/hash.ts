import {createHash} from 'node:crypto';
import {canonicalJson} from '../util/canonical_json';
import type {RunSpec} from './spec';

/**
 * A run's identity: the spec, the training code version and the data identity. Any change to one
 * of them is a different run (a cache miss).
 */
export function runHash(spec: RunSpec, codeVersion: string, dataChecksum: string): string {
  return createHash('sha256')
    .update(canonicalJson({spec, codeVersion, dataChecksum}))
    .digest('hex')
    .slice(0, 20);
}
