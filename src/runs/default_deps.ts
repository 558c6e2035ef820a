import {initBackend} from '../engine/select_backend';
import {setDropoutStepSeed} from '../models/layers/seeded_dropout';
import {consoleProgress} from '../train/progress';
import {inKernel, kernelProgress, stopTrainingOnKernelInterrupt} from '../notebooks/kernel';
import type {RunDeps} from './ensure_run';
import {buildRunModel} from './build_run_model';
import {prepareTrainData} from './prepare_data';

/**
 * The real wiring: the backend chosen at start-up, the data registry, the model zoo. In a notebook
 * kernel, progress goes to an updating display and stdout (not red stderr), and "interrupt kernel"
 * stops training at the next step.
 */
export async function defaultRunDeps(): Promise<RunDeps> {
  const kernel = inKernel();
  if (kernel) stopTrainingOnKernelInterrupt();
  const backend = await initBackend(kernel ? (l) => process.stdout.write(l + '\n') : undefined);
  return {
    backend,
    progress: kernel ? kernelProgress() : consoleProgress(),
    prepareData: prepareTrainData,
    buildModel: (spec, data) => buildRunModel(spec, data),
    hooks: {setStepSeed: setDropoutStepSeed, ...(kernel ? {resumeHint: 'run the cell again'} : {})},
  };
}
