// get_data_status: how fresh airq's data is — per place the last observation and latest forecast, the model, the last and next run.
import { z } from 'zod';
import { defineTool, READ_ONLY } from './tool.js';

const Run = z.object({
  run_id: z.string(),
  started_at: z.string(),
  finished_at: z.string(),
  today: z.string(),
  status: z.enum(['ok', 'failed']),
  trigger: z.string(),
  places: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      status: z.string(),
      days: z.number(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
  retrain_reason: z.string().nullable(),
  model_version: z.number().nullable(),
  predictions_written: z.number(),
  errors: z.array(z.string()),
});

export default defineTool({
  name: 'get_data_status',
  title: 'Data status',
  description:
    'How fresh airq’s data is: today’s date in the store; for each place its data source (sensor measurements or CAMS model values), the date of its last observation, ' +
    'when its latest forecast was issued and how far it reaches, and what is stale in words; the served forecasting model and whether a retrain is due; ' +
    'the last pipeline run and the next scheduled one; monitoring alerts (drifted inputs, forecasts off their backtest). Use it for "how up to date is this?", "when was the data last updated?", or before answering when a value may be old. ' +
    'Example: get_data_status {}.',
  input: z.object({}).strict(),
  output: z.object({
    today: z.string(),
    source: z.enum(['live', 'beijing', 'synthetic']).nullable(),
    places: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        source: z.string(),
        data: z.string().describe('What the values are: sensor measurements or model values.'),
        last_observation: z.string().nullable(),
        forecast_issued: z.string().nullable(),
        forecast_until: z.string().nullable(),
        stale: z.array(z.string()).describe('What is out of date, in words; empty when nothing is.'),
      }),
    ),
    model: z
      .object({
        name: z.string(),
        version: z.number(),
        trained_at: z.string(),
        trained_through: z.string().nullable(),
        validation_rmse: z.number().nullable(),
        retrain_due: z.string().nullable(),
      })
      .nullable(),
    last_run: Run.nullable(),
    next_run: z.string().nullable(),
    stale: z.boolean(),
    alerts: z
      .array(z.string())
      .describe(
        'Monitoring alerts of the last 30 days: inputs unlike the same days of earlier years, forecasts worse than their backtest. Say them when they concern the place asked about.',
      ),
    not_judged: z.array(z.string()).describe('What monitoring could not judge yet, and why: no alert there is no news.'),
  }),
  annotations: READ_ONLY,
  errors: {},
  handler: async (_args, { store, today }) => {
    const { dataStatus } = await import('../src/airquality/services/status.js'); // loaded on first call
    return dataStatus(store, today());
  },
});
