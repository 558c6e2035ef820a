// Public surface of the toolkit: what notebooks and other programs import. Re-exports only.
export {ReproError} from './util/errors';
export {Rng} from './util/rng';
export type {RngState} from './util/rng';
export {writeFileAtomic, writeJsonAtomic} from './util/atomic';

// Data: loaders, registry, splits, augmentation, batching (src/data).
export type {ImageSet, LoadedDataset, AugmentSpec} from './data/types';
export {
  DatasetName, isDatasetName, datasetInfo, datasetNames, resolveDatasetDir, loadDataset, fetchDataset, verifyDataset, listDatasets,
} from './data/registry';
export type {DatasetInfo, SourceFile, Checksum, ResolvedDir, VerifyResult, ListEntry} from './data/registry';
export {loadCifar10, CIFAR10_CLASSES} from './data/cifar10';
export {loadFashionMnist, FASHION_MNIST_CLASSES} from './data/fashion_mnist';
export {loadTinyImageNet} from './data/tiny_imagenet';
export {loadImageFolder} from './data/image_folder';
export type {ImageFolderOptions} from './data/image_folder';
export {makeSynthetic, SYNTHETIC_DEFAULTS} from './data/synthetic';
export type {SyntheticSpec} from './data/synthetic';
export {splitTrainVal, stratifiedSubset, twoClassSubset, subsetByIndices} from './data/splits';
export {BatchMaker, meanImage, IMAGENET_MEAN, IMAGENET_STD} from './data/augment';
export type {Batch} from './data/augment';
export {EpochIterator, LastBatch, isLastBatch} from './data/batches';
export type {BatchPosition} from './data/batches';
export {downloadFile, hashFile} from './data/fetch';
export {parseIdx, encodeIdx} from './data/idx';
