// Public surface of the toolkit: what notebooks and other programs import. Re-exports only.
export {ReproError} from './util/errors';
export {Rng} from './util/rng';
export type {RngState} from './util/rng';
export {writeFileAtomic, writeJsonAtomic} from './util/atomic';
export {initBackend, selectBackend, threadSetting, BACKENDS, isBackendName} from './engine/select_backend';
export type {BackendChoice, BackendName, BackendLoaders, LoadOutcome} from './engine/select_backend';
