// The status page and /api/status on a store with recorded runs and a running schedule, and on one no `airq run` has written; the overview's freshness and sparklines.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { FeatureStore } from '../../src/store/index.js';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import { dataStatus } from '../../src/airquality/services/status.js';
import { recordPipelineRun, type RunRecordRow } from '../../src/airquality/pipelines/pipeline-runs.js';
import { writeSchedule } from '../../src/airquality/pipelines/schedule.js';
import { startWebServer } from '../../src/web/server.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';

const TODAY = '2024-06-30';
const NEXT_RUN = '2024-07-01T04:00:00.000Z';

const RUNS: RunRecordRow[] = [
  {
    run_id: 'run-1',
    started_at: '2024-06-29T04:00:00.000Z',
    finished_at: '2024-06-29T04:01:10.000Z',
    today: '2024-06-29',
    status: 'ok',
    trigger: 'cli',
    places: [{ id: 'synthetic-city', source: 'synthetic', status: 'updated', days: 3, from: '2024-06-27', to: '2024-06-29', error: null }],
    retrain_reason: 'no served model yet',
    model_version: 1,
    predictions_written: 7,
    errors: [],
  },
  {
    run_id: 'run-2',
    started_at: '2024-06-30T04:00:00.000Z',
    finished_at: '2024-06-30T04:00:20.000Z',
    today: '2024-06-30',
    status: 'failed',
    trigger: 'schedule',
    places: [{ id: 'synthetic-city', source: 'synthetic', status: 'failed', days: 0, from: null, to: null, error: 'the source answered <503>' }],
    retrain_reason: null,
    model_version: 1,
    predictions_written: 0,
    errors: ['synthetic-city: the source answered <503>', 'weather forecast & patterns skipped'],
  },
];

interface Served {
  dir: string;
  store: FeatureStore;
  server: Server;
  base: string;
}

let today = TODAY;

async function serve(prepare?: (store: FeatureStore, dir: string) => Promise<void>): Promise<Served> {
  const dir = copyStoreForFile(syntheticStore());
  const store = await FeatureStore.open({ dir, readOnly: !prepare });
  await prepare?.(store, dir);
  const agent = { ask: () => Promise.reject(new Error('no chat here')) };
  const web = await startWebServer({ moments: fixedMoments(store, () => today), log: silentLogger, agent }, 0, '127.0.0.1');
  return { dir, store, server: web.server, base: web.url };
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s) return;
  s.server.closeAllConnections();
  await new Promise((r) => s.server.close(r));
  await s.store.close();
  removeStoreCopy(s.dir);
}

let withRuns: Served;
let bare: Served;

beforeAll(async () => {
  withRuns = await serve(async (store, dir) => {
    for (const run of RUNS) await recordPipelineRun(store, run);
    writeSchedule(dir, { pid: process.pid, run_at: '06:00', next_run: NEXT_RUN, running: false });
  });
  bare = await serve();
}, 60_000);
afterAll(async () => {
  await stop(withRuns);
  await stop(bare);
});

const text = async (base: string, path: string) => {
  const r = await fetch(base + path);
  expect(r.status, path).toBe(200);
  return r.text();
};
/** The rows of the runs table, each as its text without tags. */
const runRows = (page: string) =>
  [...(/<table class="stack runs">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
  );

describe('the status page of a store with runs and a schedule', () => {
  it('GET /api/status is the dataStatus object', async () => {
    today = TODAY;
    const body = JSON.parse(await text(withRuns.base, '/api/status'));
    expect(body).toEqual(JSON.parse(JSON.stringify(await dataStatus(withRuns.store, TODAY))));
    expect(body).toMatchObject({ today: TODAY, source: 'synthetic', next_run: NEXT_RUN, last_run: { run_id: 'run-2', status: 'failed' } });
    expect(body.places).toEqual([expect.objectContaining({ id: 'synthetic-city', last_observation: TODAY, forecast_issued: TODAY, stale: [] })]);
    expect(JSON.parse(await text(withRuns.base, '/api')).endpoints).toHaveProperty('GET /api/status');
  });

  it('shows today, each place’s source and freshness, the model, the next run and the runs newest first', async () => {
    today = TODAY;
    const page = await text(withRuns.base, '/status');
    const status = await dataStatus(withRuns.store, TODAY);
    expect(page).toContain('Today in this store is <strong>2024-06-30</strong> (the synthetic city, a simulation)');
    expect(page).toContain('<a href="/locations/synthetic-city">Synthetic City (synthetic data)</a> <code>synthetic-city</code>');
    expect(page).toContain(`${status.places[0]!.data} <span class="muted">(synthetic)</span>`);
    expect(page).toContain('issued <time datetime="2024-06-30">2024-06-30</time>, until <time datetime="2024-07-07">2024-07-07</time>');
    expect(page).toContain('Every place is up to date.');
    expect(page).toContain('<dt>served</dt><dd>pm25_forecaster v1</dd>');
    expect(page).toContain(`<dt>trained through</dt><dd>${status.model!.trained_through ?? 'not recorded'}</dd>`);
    expect(page).toContain('Next scheduled run: <time datetime="2024-07-01T04:00:00.000Z">2024-07-01 04:00 UTC</time>');
    const rows = runRows(page);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('2024-06-30 04:00 UTC schedule failed 2024-06-30 synthetic-city failed: the source answered &lt;503&gt; no retrain');
    expect(rows[1]).toContain('2024-06-29 04:00 UTC cli ok 2024-06-29 synthetic-city updated, 3 days (2024-06-27 to 2024-06-29) no served model yet none');
    // Every value is escaped: the error's angle brackets and ampersand are text, not markup.
    expect(page).toContain('<li>synthetic-city: the source answered &lt;503&gt;</li><li>weather forecast &amp; patterns skipped</li>');
    expect(page).not.toContain('<503>');
  });

  it('says in words what is stale when today moves past the data', async () => {
    today = '2024-07-03';
    try {
      const page = await text(withRuns.base, '/status');
      expect(page).toContain('Some data is stale');
      expect(page).toContain('the last observation is from 2024-06-30, 3 days before today; the forecast was issued 2024-06-30, 3 days ago');
      expect(JSON.parse(await text(withRuns.base, '/api/status'))).toMatchObject({ today: '2024-07-03', stale: true });
    } finally {
      today = TODAY;
    }
  });
});

describe('the status page of a store no `airq run` has written', () => {
  it('renders without runs or a schedule, and /api/status says so', async () => {
    today = TODAY;
    const page = await text(bare.base, '/status');
    expect(page).toContain('<h1>Data status</h1>');
    expect(page).toContain('<code>synthetic-city</code>');
    expect(page).toContain('No <code>airq run</code> is recorded in this store yet.');
    expect(page).toContain('No schedule is running');
    expect(runRows(page)).toEqual([]);
    expect(JSON.parse(await text(bare.base, '/api/status'))).toMatchObject({
      today: TODAY,
      last_run: null,
      next_run: null,
      places: [{ id: 'synthetic-city' }],
    });
  });
});

describe('the overview', () => {
  it('links the status page and shows each place’s data date and a sparkline of its next 7 days', async () => {
    today = TODAY;
    const page = await text(bare.base, '/');
    expect(page).toMatch(/<nav class="site"[^>]*>.*<a href="\/status">Data status<\/a>/);
    expect(page).toContain('data as of <time datetime="2024-06-30">2024-06-30</time>');
    expect(page).not.toContain('Stale:');
    const forecast = JSON.parse(await text(bare.base, '/api/locations/synthetic-city/forecast')) as { days: { date: string; pm25: number }[] };
    const top = forecast.days.reduce((a, d) => (d.pm25 > a.pm25 ? d : a));
    const spark = /<svg [^>]*id="spark-synthetic-city"[\s\S]*?<\/svg>/.exec(page)?.[0];
    expect(spark).toMatch(/viewBox="0 0 \d+ \d+"/);
    expect(spark).toMatch(/role="img" aria-label="PM2\.5 forecast for Synthetic City \(synthetic data\), 2024-07-01 to 2024-07-07: /);
    expect(spark).toContain('class="first">2024-07-01</text>');
    expect(spark).toContain('class="last">2024-07-07</text>');
    expect(spark).toContain(`class="max">max ${top.pm25.toFixed(1)} µg/m³ (${top.date.slice(5)})</text>`);
    expect(spark).toMatch(/<path d="M[^"]+Z" fill="#3b6fb6" opacity="0\.3"/); // the 80% band
    const list = JSON.parse(await text(bare.base, '/api/locations'));
    expect(list.locations[0]).toMatchObject({
      data_as_of: TODAY,
      stale: [],
      next_days: expect.arrayContaining([expect.objectContaining({ date: '2024-07-07' })]),
    });
  });

  it('says what is stale on the card', async () => {
    today = '2024-07-03';
    try {
      const page = await text(bare.base, '/');
      expect(page).toContain('data as of <time datetime="2024-06-30">2024-06-30</time>');
      expect(page).toContain(
        '<p class="stale"><strong>Stale:</strong> the last observation is from 2024-06-30, 3 days before today; the forecast was issued 2024-06-30, 3 days ago.</p>',
      );
      expect(page).toContain('class="first">2024-07-04</text>');
    } finally {
      today = TODAY;
    }
  });

  it('the location page has a small chart for phones and short advice under each category', async () => {
    const page = await text(bare.base, '/locations/synthetic-city');
    expect(page).toContain('<link rel="stylesheet" href="/static/phone.css" media="(max-width: 640px)">');
    const phone = await fetch(`${bare.base}/static/phone.css`);
    expect(phone.headers.get('content-type')).toContain('text/css');
    expect(await phone.text()).toMatch(/\.chart-wide \{\s*display: none;/);
    expect(page).toMatch(/<svg [^>]*class="chart chart-wide" id="forecast-chart"/);
    const small = /<svg [^>]*id="forecast-chart-small"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    expect(small).toMatch(/viewBox="0 0 360 \d+"/);
    expect(small.match(/>07-0[1-7]<\/text>/g)).toHaveLength(7);
    const rows = page.match(/<tr><td class="date">2024-07-0\d<\/td>.*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(7);
    for (const row of rows)
      expect(row).toMatch(/<td class="cat-cell"><span class="cat">.*<\/span><span class="short">[^<]+<\/span><\/td><td class="advice">[^<]+<\/td>/);
  });
});
