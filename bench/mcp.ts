// Benchmark: tool calls through a real MCP client over stdio against `airq mcp` on a Beijing store, 1,000 calls per tool.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { forecastAll } from '../src/airquality/forecast/forecast.js';
import { trainForecaster } from '../src/airquality/forecast/train.js';
import { runBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { pm25StateView } from '../src/airquality/serving-views.js';
import { projectRoot } from '../src/core/data-dir.js';
import { FeatureStore } from '../src/store/index.js';
import { percentile, round, withScratchDir } from './common.js';

const TODAY = '2017-02-21';
const CALLS = 1000;

export async function benchMcp(path: string, log: (s: string) => void = () => undefined) {
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      await runBeijing(store, path, { end: TODAY, forecastDays: 7 }); // as the demo: data to TODAY, replayed forecasts after
      log('imported; training and forecasting');
      await trainForecaster(store, TODAY);
      await forecastAll(store, TODAY);
      await pm25StateView(store);
    } finally {
      await store.close();
    }
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(projectRoot(), 'bin', 'airq.js'), 'mcp', '--store', dir, '--today', TODAY],
      env: { ...(process.env as Record<string, string>), AIRQ_LOG_LEVEL: 'warn' },
    });
    const client = new Client({ name: 'airq-bench', version: '1' });
    await client.connect(transport);
    try {
      const calls: [string, Record<string, unknown>][] = [
        ['get_feature_vector', { feature_view: 'pm25_state', entity: { location_id: 'beijing-dongsi' } }],
        ['get_air_quality_forecast', { location: 'beijing-dongsi' }],
      ];
      const results = [];
      for (const [tool, args] of calls) {
        for (let i = 0; i < 50; i++) await client.callTool({ name: tool, arguments: args }); // warm up
        const times: number[] = [];
        for (let i = 0; i < CALLS; i++) {
          const t0 = performance.now();
          const r = await client.callTool({ name: tool, arguments: args });
          times.push(performance.now() - t0);
          if (r.isError) throw new Error(`${tool} failed: ${JSON.stringify(r.content)}`);
        }
        times.sort((a, b) => a - b);
        results.push({ tool, calls: CALLS, p50_ms: round(percentile(times, 50), 3), p99_ms: round(percentile(times, 99), 3) });
        log(`${tool}: p50 ${round(percentile(times, 50), 3)} ms`);
      }
      return { results };
    } finally {
      await client.close();
    }
  });
}
