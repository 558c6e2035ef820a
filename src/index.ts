// Public surface of the toolkit: what notebooks and other programs import. Re-exports only,
// except one import for its effect: TensorFlow.js's "install our node backend" banner is wrong here.
import './engine/quiet_tfjs';
export {ReproError} from './util/errors';
export {Rng} from './util/rng';
export type {RngState} from './util/rng';
export {writeFileAtomic, writeJsonAtomic} from './util/atomic';
// Engine (src/engine): backend selection, recorded in every run's provenance.
export {initBackend, selectBackend, threadSetting, BACKENDS, isBackendName} from './engine/select_backend';
export type {BackendChoice, BackendName, BackendLoaders, LoadOutcome} from './engine/select_backend';

// Model zoo (src/models)
export {buildModel, modelConfig, modelNames} from './models/registry';
export type {BuildModelOptions} from './models/registry';
export {buildFromConfig} from './models/build';
export {countMacs, countParams} from './models/count';
export {loadTorchSafetensors, loadTorchStateDict, loadTorchWeightsFile, parseTorchWeights} from './models/import_torch';
export {readPth} from './models/pth';
export {PRETRAINED, pretrainedInfo, pretrainedNames, resolveWeightsFile} from './models/pretrained';
export type {PretrainedWeights} from './models/pretrained';
export {fetchPretrained, listPretrained, verifyPretrained} from './models/pretrained_files';
export {buildPretrainedModel} from './models/fine_tune';
export type {PretrainedBuildOptions} from './models/fine_tune';
export type {LoadOptions} from './models/import_torch';
export {readSafetensors, writeSafetensors} from './models/safetensors';
export type {NamedTensor} from './models/safetensors';
export {exportTorchStateDict, torchWeights} from './models/torch_names';
export type {TorchWeight} from './models/torch_names';
export {setDropoutStepSeed, setTrainingRandomContext} from './models/layers/seeded_dropout';
export type {TrainingRandomContext} from './models/layers/seeded_dropout';
export {BlockKind, Family, Shortcut, isBlockKind, isFamily, isShortcut, isVggConfig} from './models/config';
export type {HeadSpec, ModelConfig, PostConvSpec, ResNetConfig, Stage, StemSpec, VggConfig} from './models/config';
// The report: its input model, the figure builders (notebooks render the same figures inline), rendering.
export type {ReportInput, ReportSection, ReportFigure, ReportTable, TableColumn, ReportProvenance, ReportRun,
  OutOfScope} from './report/model';
export type {VegaLiteSpec} from './report/vega_types';
export {claimCells, formatCriterion, formatNumber, formatValue} from './report/format_claim';
export {errorCurvesFigure} from './report/figures/error_curves';
export type {ErrorCurvesInput, ErrorPoint} from './report/figures/error_curves';
export {errorByDepthFigure} from './report/figures/error_by_depth';
export type {ErrorByDepthInput, DepthPoint} from './report/figures/error_by_depth';
export {barByVariantFigure} from './report/figures/bar_by_variant';
export type {BarByVariantInput, VariantBar} from './report/figures/bar_by_variant';
export {trainValGapFigure} from './report/figures/train_val_gap';
export type {GapRow} from './report/figures/train_val_gap';
export {lossCurveFigure, findRebounds} from './report/figures/loss_curve';
export type {LossCurveInput, LossPoint} from './report/figures/loss_curve';
export {gradientNormsFigure} from './report/figures/gradient_norms';
export type {GradientNormsInput, LayerNorm} from './report/figures/gradient_norms';
export {accuracyByDepthFigure} from './report/figures/accuracy_by_depth';
export type {AccuracyByDepthInput, AccuracyPoint} from './report/figures/accuracy_by_depth';
export {transferTable} from './report/figures/transfer_table';
export type {TransferRow} from './report/figures/transfer_table';
export {figureToSvg, svgToPng, renderFigure} from './report/render_figure';
export type {RenderedFigure} from './report/render_figure';
export {launchBrowser, withBrowser, resolveChromium} from './report/browser';
export type {ReportBrowser} from './report/browser';
export {renderHtml} from './report/html';
export {htmlToPdf} from './report/pdf';
export {reportProvenance} from './report/provenance';
export type {PlannedRun, ProvenanceEnv} from './report/provenance';
export {writeReport, validateReportInput} from './report/write_report';
export type {ReportFiles, WriteReportOptions} from './report/write_report';
export {readReportInput, parseReportInput} from './report/read_input';
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
export {downloadFile, hashFile} from './data/fetch';
export {parseIdx, encodeIdx} from './data/idx';
// Runs (src/runs): the cached training pipeline a notebook re-runs one experiment through.
export {ensureRun, planHash} from './runs/ensure_run';
export type {RunDeps, EnsuredRun} from './runs/ensure_run';
export {defaultRunDeps} from './runs/default_deps';
export {RunStore, defaultStoreRoot} from './runs/store';
export type {StoreEntry, EntryStatus} from './runs/store';
export type {RunSpec, DataSpec, OptimizerSpec, ScheduleSpec} from './runs/spec';
export type {RunResult} from './runs/result';
export {modelRows} from './cli/commands/models';
export type {ModelRow} from './cli/commands/models';
// Notebooks (src/notebooks): inline figures and tables in the tslab kernel, the headless runner.
export {showFigure, showFrame, showTable, tableHtml} from './notebooks/display';
export type {HtmlTable, TableCell} from './notebooks/display';
export {claimsFrame, historyFrame, loadArquero, runsFrame} from './notebooks/frames';
export type {Frame} from './notebooks/frames';
export {inKernel, kernelProgress, stopTrainingOnKernelInterrupt} from './notebooks/kernel';
export {clearStopRequest, isStopRequested, isTrainingInterrupted, requestStop, TrainingInterrupted} from './train/interrupt';
export {estimateTrainingTime, formatDuration} from './pipeline/estimate';
export {checkFigure} from './report/figure_check';
export type {FigureProblem} from './report/figure_check';
export {formatOurs} from './report/format_claim';
export {runNotebook, listNotebooks} from './notebooks/execute';
export type {NotebookRun, CellFailure} from './notebooks/execute';
// Experiments and the pipeline (experiments/, src/pipeline): plan, run, evaluate, report.
export {EXPERIMENTS, CLAIM_IDS, OUT_OF_SCOPE} from '../experiments/index';
export {Profile, isProfile} from '../experiments/profile';
export type {ExperimentSpec, NotRun, SectionContent} from '../experiments/types';
export {chooseData, experimentContext, experimentContextFor} from '../experiments/data_choice';
export type {DataChoice, ExperimentContext} from '../experiments/data_choice';
export {planProfile, selectExperiments, memoizePrepareData} from './pipeline/plan';
export type {ProfilePlan, PlannedRun as PlannedProfileRun, Training} from './pipeline/plan';
export {runMissing} from './pipeline/run_missing';
export {collectResults, evaluateProfile} from './pipeline/evaluate';
export {buildReportInput} from './pipeline/build_input';
export {reproduce, defaultReportDir} from './pipeline/reproduce';
export type {ReproduceOptions, ReproduceOutcome} from './pipeline/reproduce';
export {writeBaselines, readBaselineClaims, readBaselineRuns, baselineDir} from './pipeline/baselines';
export type {BaselineRun} from './pipeline/baselines';
