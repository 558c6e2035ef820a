// Public surface of the toolkit: what notebooks and other programs import. Re-exports only.
export {ReproError} from './util/errors';
export {Rng} from './util/rng';
export type {RngState} from './util/rng';
export {writeFileAtomic, writeJsonAtomic} from './util/atomic';

// Model zoo (src/models)
export {buildModel, modelConfig, modelNames} from './models/registry';
export type {BuildModelOptions} from './models/registry';
export {buildFromConfig} from './models/build';
export {countMacs, countParams} from './models/count';
export {loadTorchSafetensors, loadTorchStateDict} from './models/import_torch';
export type {LoadOptions} from './models/import_torch';
export {readSafetensors, writeSafetensors} from './models/safetensors';
export type {NamedTensor} from './models/safetensors';
export {exportTorchStateDict, torchWeights} from './models/torch_names';
export type {TorchWeight} from './models/torch_names';
export {setDropoutStepSeed, setTrainingRandomContext} from './models/layers/seeded_dropout';
export type {TrainingRandomContext} from './models/layers/seeded_dropout';
export {BlockKind, Family, Shortcut, isBlockKind, isFamily, isShortcut, isVggConfig} from './models/config';
export type {HeadSpec, ModelConfig, PostConvSpec, ResNetConfig, Stage, StemSpec, VggConfig} from './models/config';
