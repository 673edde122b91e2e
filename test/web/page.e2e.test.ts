// The page in a real browser (Debian's Chromium through playwright-core) against `airq serve` on a copy of the Beijing eval store.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingStore, copyStoreForFile, removeStoreCopy } from '../helpers/stores.js';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-results', 'web');
/** An iPhone 12–15's screen in CSS pixels. */
const PHONE = { width: 390, height: 844 };

/** Chromium comes from Debian's package (.ci/run installs it); without it the browser tests skip loudly, or fail in CI. */
function browserPresent(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `${CHROMIUM} not found (apt-get install chromium)`;
  if (process.env.AIRQ_REQUIRE_DATA === '1') throw new Error(`${msg}; CI requires it`);
  console.error(`SKIPPING: ${msg}`);
  return false;
}

const beijing = beijingStore();
const run = beijing && browserPresent() ? describe : describe.skip;

run('the web page in Chromium', () => {
  let dir: string;
  let serve: ChildProcess;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // A copy: the page's chat writes traces, and the shared store must stay as built. No --today: the store's clock says 2017-02-21.
    dir = copyStoreForFile(beijing!);
    serve = spawn(process.execPath, [join(ROOT, 'bin', 'airq.js'), 'serve', '--store', dir, '--port', '0'], {
      env: { ...process.env, AIRQ_STORE: undefined, AIRQ_LOG_LEVEL: 'warn', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    });
    base = await new Promise<string>((resolve, reject) => {
      let err = '';
      serve.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      serve.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim().split('\n')[0]!));
      serve.once('exit', (code) => reject(new Error(`airq serve exited ${code}: ${err}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    removeStoreCopy(dir);
  });

  const open = async (path: string, viewport = { width: 1100, height: 900 }): Promise<Page> => {
    const page = await browser.newPage({ viewport });
    await page.goto(base + path);
    return page;
  };

  it('the overview lists every location with its forecast and category', async () => {
    const page = await open('/');
    const cards = page.locator('#locations .card');
    await expect.poll(() => cards.count()).toBe(10);
    expect(await cards.locator('h2').allTextContents()).toContain('Dongsi');
    expect(await cards.first().textContent()).toMatch(/Forecast 2017-02-22\s*\d+\.\d µg\/m³\s*(Good|Moderate|Unhealthy|Very Unhealthy|Hazardous)/);
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
    await page.close();
  });

  it('a location page shows the forecast chart, its table, the observations and the model', async () => {
    const page = await open('/locations/beijing-dongsi');
    const chart = page.locator('svg#forecast-chart');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.getAttribute('aria-label')).toMatch(/^PM2\.5 forecast for Dongsi with its 80% interval: 2017-02-22: \d+\.\d µg\/m³/);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(600); // scaled to the column, not a fixed-size image
    expect(await page.locator('#forecast-title + figure + .table tbody tr').count()).toBe(7);
    expect(await page.locator('h2').allTextContents()).toEqual([
      'Forecast (issued 2017-02-21 by pm25_forecaster v1)',
      'Recent observations',
      'Hindcast: predicted vs observed',
      'Monitoring',
      'Ask about the air',
    ]);
    expect(await page.locator('.model').textContent()).toMatch(/pm25_forecaster v1, trained \d{4}-\d\d-\d\d/);
    expect(await page.locator('.badge').first().textContent()).toContain('replayed');
    await page.screenshot({ path: join(SHOTS, 'location.png'), fullPage: true });
    await page.close();
  });

  it('a chat question gets an answer with a value and a date, and shows the tools called', async () => {
    const page = await open('/locations/beijing-tiantan');
    await page.fill('#chat-question', 'Will the air be OK for a run tomorrow in Tiantan?');
    await page.click('#chat-form button');
    const answer = page.locator('#chat-log li .a').first();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toMatch(/2017-02-22.*\d+\.\d µg\/m³/s);
    expect(await page.locator('#chat-log .tools li').first().textContent()).toContain(
      'get_air_quality_forecast({"location":"beijing-tiantan","start_date":"2017-02-22"})',
    );
    // A follow-up uses the turn before it.
    await page.fill('#chat-question', 'and the day after tomorrow?');
    await page.click('#chat-form button');
    await expect.poll(() => page.locator('#chat-log li .a').first().textContent(), { timeout: 15_000 }).toContain('2017-02-23');
    await page.screenshot({ path: join(SHOTS, 'chat.png'), fullPage: true });
    await page.close();
  });

  it('shows errors on the page: an unknown place, and a chat the server refuses', async () => {
    const page = await open('/locations/atlantis');
    expect(await page.locator('[role=alert]').first().textContent()).toMatch(/no location matches "atlantis"/);
    await page.goto(`${base}/`);
    await page.route('**/api/chat', (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'chat request: ask a question' }) }),
    );
    await page.fill('#chat-question', 'anything');
    await page.click('#chat-form button');
    const alert = page.locator('#chat-error');
    await expect.poll(() => alert.isVisible()).toBe(true);
    expect(await alert.textContent()).toBe('chat request: ask a question');
    await page.close();
  });

  it('fits a phone-sized screen without sideways scrolling, with the small chart whose labels stay legible', async () => {
    const page = await open('/locations/beijing-shunyi', PHONE);
    // A string runs in the page: the test's TypeScript has no DOM types.
    const widths = (await page.evaluate('({ doc: document.documentElement.scrollWidth, view: window.innerWidth })')) as { doc: number; view: number };
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    expect(await page.locator('svg#forecast-chart').isVisible()).toBe(false);
    const small = page.locator('svg#forecast-chart-small');
    expect(await small.isVisible()).toBe(true);
    const chart = await small.boundingBox();
    expect(chart!.width).toBeLessThanOrEqual(390);
    expect(chart!.width).toBeGreaterThan(300);
    // The smallest label as drawn on the screen: its font size in viewBox units times the chart's scale.
    const smallest = (await page.evaluate(`(() => {
      const svg = document.getElementById('forecast-chart-small');
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(t.getAttribute('font-size')) * scale));
    })()`)) as number;
    expect(smallest).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: join(SHOTS, 'phone.png') });
    await page.close();
  });

  it('at 390 px the forecast table fits the screen: every cell inside it, the category and short advice shown, rows compact', async () => {
    const page = await open('/locations/beijing-dongsi', PHONE);
    const fit = (await page.evaluate(`(() => {
      const table = document.querySelector('table.forecast');
      const outside = [table, ...table.querySelectorAll('*')]
        .map((e) => ({ tag: e.tagName + (e.className ? '.' + e.className : ''), r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 1 && (r.left < 0 || r.right > window.innerWidth))
        .map(({ tag, r }) => tag + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
      const rows = [...table.querySelectorAll('tbody tr')].map((tr) => tr.getBoundingClientRect().height);
      return { doc: document.documentElement.scrollWidth, outside, rows };
    })()`)) as { doc: number; outside: string[]; rows: number[] };
    expect(fit.doc).toBeLessThanOrEqual(390);
    expect(fit.outside).toEqual([]);
    expect(fit.rows).toHaveLength(7);
    for (const h of fit.rows) expect(h).toBeLessThan(120);
    const first = page.locator('table.forecast tbody tr').first();
    expect(await first.locator('.cat').isVisible()).toBe(true);
    expect(await first.locator('.short').isVisible()).toBe(true);
    expect(await first.locator('td.advice').isVisible()).toBe(false);
    expect(await first.innerText()).toMatch(/^2017-02-22\s+\d+\.\d\s+\d+\.\d–\d+\.\d\s+(Good|Moderate|Unhealthy|Very Unhealthy|Hazardous)/);
    await page.locator('table.forecast').screenshot({ path: join(SHOTS, 'phone-forecast-table.png') });
    await page.close();
  });

  it('the overview shows each place’s data date and a sparkline, and links the status page', async () => {
    const page = await open('/');
    const cards = page.locator('#locations .card');
    await expect.poll(() => cards.count()).toBe(10);
    expect(await page.locator('#locations .as-of').allTextContents()).toEqual(Array(10).fill('data as of 2017-02-21'));
    const spark = page.locator('#spark-beijing-dongsi');
    expect(await spark.isVisible()).toBe(true);
    expect(await spark.locator('text.first').textContent()).toBe('2017-02-22');
    expect(await spark.locator('text.last').textContent()).toBe('2017-02-28');
    expect(await spark.locator('text.max').textContent()).toMatch(/^max \d+\.\d µg\/m³ \(02-2\d\)$/);
    await page.click('header nav a[href="/status"]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Data status');
    await page.close();
  });

  it('the status page lists every place with its source and freshness, on a desktop and on a phone', async () => {
    for (const [viewport, shot] of [
      [{ width: 1100, height: 900 }, 'status.png'],
      [PHONE, 'status-phone.png'],
    ] as const) {
      const page = await open('/status', viewport);
      expect(await page.locator('#today').textContent()).toContain('Today in this store is 2017-02-21 (the UCI Beijing archive, replayed)');
      const rows = page.locator('table.places tbody tr');
      expect(await rows.count()).toBe(10);
      expect(await rows.first().textContent()).toMatch(
        /Aotizhongxin.*measurement from the UCI Beijing archive.*2017-02-21.*issued 2017-02-21, until 2017-02-28.*up to date/,
      );
      expect(await page.locator('#model').textContent()).toMatch(/pm25_forecaster v1/);
      expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
      await page.close();
    }
  });
});
