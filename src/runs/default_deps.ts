import {initBackend} from '../engine/select_backend';
import {buildModel} from '../models/registry';
import {setDropoutStepSeed} from '../models/layers/seeded_dropout';
import {consoleProgress} from '../train/progress';
import type {RunDeps} from './ensure_run';
import {prepareTrainData} from './prepare_data';

/** The real wiring: the backend chosen at start-up, the data registry, the model zoo. */
export async function defaultRunDeps(): Promise<RunDeps> {
  const backend = await initBackend();
  return {
    backend,
    progress: consoleProgress(),
    prepareData: prepareTrainData,
    buildModel: (spec, data) => buildModel(spec.model, {
      seed: spec.seed,
      inputShape: [spec.augment.resize ?? data.train.height, spec.augment.resize ?? data.train.width, data.train.channels],
      numClasses: data.train.classes.length,
    }),
    hooks: {setStepSeed: setDropoutStepSeed},
  };
}
