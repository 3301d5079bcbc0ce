import { LoggedPubsubSource } from '../source/logged-pubsub-source.js';
import type { ModeSpec } from './modes.js';

export const pubsubMode: ModeSpec = {
  name: 'pubsub',
  positionals: ['PROJECT', 'TOPIC'],
  options: { log_file: 'PATH', subscription: 'NAME' },
  description:
    "receive the run's records from Pub/Sub TOPIC in PROJECT (the emulator at PUBSUB_EMULATOR_HOST when set); " +
    'with --log_file, replay PATH first and append every record received to it; with --subscription, ' +
    'use and keep that subscription, so a restarted server also gets what was published while it was down',
  createSource: (run, { positionals, options }) =>
    new LoggedPubsubSource({
      project: positionals.PROJECT,
      topic: positionals.TOPIC,
      run,
      ...(options.subscription === undefined ? {} : { subscription: options.subscription }),
      ...(options.log_file === undefined ? {} : { logFile: options.log_file }),
    }),
};
