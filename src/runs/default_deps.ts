import {initBackend} from '../engine/select_backend';
import {setDropoutStepSeed} from '../models/layers/seeded_dropout';
import {consoleProgress} from '../train/progress';
import type {RunDeps} from './ensure_run';
import {buildRunModel} from './build_run_model';
import {prepareTrainData} from './prepare_data';

/** The real wiring: the backend chosen at start-up, the data registry, the model zoo. */
export async function defaultRunDeps(): Promise<RunDeps> {
  const backend = await initBackend();
  return {
    backend,
    progress: consoleProgress(),
    prepareData: prepareTrainData,
    buildModel: (spec, data) => buildRunModel(spec, data),
    hooks: {setStepSeed: setDropoutStepSeed},
  };
}
