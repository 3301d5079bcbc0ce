// What the Python tests ask of the TypeScript packages (their builds, as users run them):
//   node typescript.mjs COMMAND < request.json > answer.json
// encode    {records: [{fields, arrays: [{name, dtype, shape, values}]}]} -> {frames: [hex]}  (version 1)
// encode2   {logger, steps: [{fields, arrays, forms: {streamed, selfContained}} | {restart: true}]} -> {frames: [{streamed?, selfContained?} | null]}
//           (one RecordEncoder: version 2 frames, hex; a restart makes none)
// read      {logs: [{hex, chunk?}]} -> {reads: [{events: [{type, offset, size, reason?, header?, arrays?}], pending}]}
//           (each log pushed to a FrameReader in chunks of `chunk` bytes, drained after each push)
// log       {path, run, calls: [{method, plot, data?, ...}]} -> {logger, records} (a log written by the TS DataLogger)
// errors    {calls: [{method, plot, data?, ...}]} -> {messages: [the message each call throws, or null]} (a DataLogger without sinks)
// numbers   {values: [number]} -> {texts: [JSON.stringify(value)]}
// palettes  {} -> {palettes: [name]}
import { readFileSync } from 'node:fs';
import { DTYPES, FrameReader, PALETTES, RecordEncoder, encodeRecord, recordHeader } from '../../../../packages/format/dist/index.js';
import { ColorSpec, DataLogger, GridSpec, ndarray } from '../../../../packages/logger/dist/index.js';

const typed = ({ dtype, values }) => DTYPES[dtype].from(values);
const asJson = (arrays) => Object.fromEntries(Object.entries(arrays).map(([name, { dtype, shape, data }]) => [name, { dtype, shape, values: [...data] }]));

/** A data argument: {dtype, shape, values} as a typed array with its shape, or a plain nested list. */
const dataArgument = (data) => (data && data.dtype ? ndarray(typed(data), data.shape) : data);

function read(bytes, chunk = bytes.length) {
  const reader = new FrameReader();
  const events = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    reader.push(bytes.subarray(at, at + chunk));
    for (const e of reader.drain()) {
      events.push(e.type === 'record' ? { type: 'record', offset: e.offset, size: e.size, header: e.record.header, arrays: asJson(e.record.arrays) } : e);
    }
  }
  return { events, pending: reader.pendingBytes };
}

/** Makes one logger call: {method, plot, data, step, options}; `grid` and `color` options are constructor arguments; `clear`'s plots are its data. */
function call(logger, { method, plot, data, step, options = {} }) {
  const opts = { ...options };
  if (opts.grid) opts.grid = new GridSpec(...opts.grid);
  if (opts.color) opts.color = new ColorSpec(...opts.color);
  if (method === 'setLayout') logger.setLayout(data);
  else if (method === 'clear') logger.clear(data);
  else if (method === 'tandemLines') logger.tandemLines(plot, step, dataArgument(data), opts);
  else logger[method](plot, dataArgument(data), opts);
}

const commands = {
  encode: ({ records }) => ({
    frames: records.map(({ fields, arrays }) => encodeRecord(fields, arrays.map((a) => ({ name: a.name, shape: a.shape, data: typed(a) }))).toString('hex')),
  }),

  encode2: ({ logger, steps }) => {
    const encoder = new RecordEncoder(logger);
    return {
      frames: steps.map(({ restart, fields, arrays, forms }) => {
        if (restart) {
          encoder.restart();
          return null;
        }
        const inputs = arrays.map((a) => ({ name: a.name, shape: a.shape, data: typed(a) }));
        const frames = encoder.encode(recordHeader(fields, inputs), (body) => inputs.forEach(({ data }, i) => body[i].set(data)), forms);
        return Object.fromEntries(Object.entries(frames).map(([form, frame]) => [form, frame.toString('hex')]));
      }),
    };
  },

  read: ({ logs }) => ({ reads: logs.map(({ hex, chunk }) => read(Buffer.from(hex, 'hex'), chunk)) }),

  log: async ({ path, run, calls }) => {
    const logger = new DataLogger(run);
    await logger.initWriteLog(path);
    for (const spec of calls) call(logger, spec);
    const report = await logger.shutdown();
    return { logger: logger.id, records: report.records };
  },

  errors: ({ calls }) => ({
    messages: calls.map((spec) => {
      try {
        call(new DataLogger(spec.run ?? 'errors'), spec);
        return null;
      } catch (error) {
        return error.message;
      }
    }),
  }),

  numbers: ({ values }) => ({ texts: values.map((v) => JSON.stringify(v)) }),

  palettes: () => ({ palettes: [...PALETTES] }),
};

const [command] = process.argv.slice(2);
if (!Object.hasOwn(commands, command)) {
  process.stderr.write(`usage: typescript.mjs ${Object.keys(commands).join('|')} < request.json\n`);
  process.exit(2);
}
const request = JSON.parse(readFileSync(0, 'utf8') || '{}');
process.stdout.write(JSON.stringify(await commands[command](request)));
