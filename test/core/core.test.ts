// Core: the clock, configuration from the environment, errors and the stderr logger.
import { describe, expect, it } from 'vitest';
import { clockFor, fixedClock, systemClock } from '../../src/core/clock.js';
import { embedderConfig, llmConfig, loadConfig, providerConfig, serviceConfig } from '../../src/core/config.js';
import { AppError, ConfigError, NotFoundError, ValidationError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';

describe('clock', () => {
  it('a fixed today freezes now at the end of that day', () => {
    const c = fixedClock('2017-02-28');
    expect(c.today()).toBe('2017-02-28');
    expect(c.now().toISOString()).toBe('2017-02-28T23:59:59.999Z');
    expect(clockFor(undefined)).toBe(systemClock);
    expect(() => fixedClock('2017-02-30')).toThrow(ConfigError);
  });
});

describe('config', () => {
  it('reads the environment with defaults and rejects bad values with the variable name', () => {
    expect(loadConfig({})).toEqual({ storeDir: './.airq', today: undefined, logLevel: 'info', dataDir: undefined, debug: false });
    expect(loadConfig({ AIRQ_STORE: '', AIRQ_DEBUG: '1' })).toMatchObject({ storeDir: './.airq', debug: true }); // empty is unset
    expect(loadConfig({ AIRQ_STORE: '/s', AIRQ_TODAY: '2017-01-05', AIRQ_LOG_LEVEL: 'debug' })).toMatchObject({
      storeDir: '/s',
      today: '2017-01-05',
      logLevel: 'debug',
    });
    expect(() => loadConfig({ AIRQ_TODAY: 'tomorrow' })).toThrow(/AIRQ_TODAY: must be a date/);
    expect(() => loadConfig({ AIRQ_LOG_LEVEL: 'loud' })).toThrow(/AIRQ_LOG_LEVEL/);
  });

  it('reads every provider, model and service setting in one module, each checked where it is used', () => {
    const p = providerConfig({ AIRQ_OPEN_METEO_GEOCODING_URL: 'http://127.0.0.1:1/geo', OPENAQ_API_KEY: 'k', AQICN_API_KEY: '' });
    expect(p.openMeteo).toMatchObject({ geocoding: 'http://127.0.0.1:1/geo', archive: 'https://archive-api.open-meteo.com/v1/archive' });
    expect([p.openaq.key, p.openaq.baseUrl, p.aqicn.token]).toEqual(['k', 'https://api.openaq.org', undefined]);
    expect(() => providerConfig({ AIRQ_OPENAQ_URL: 'ftp://x' })).toThrow(/environment variable AIRQ_OPENAQ_URL: must be an http\(s\) URL/);
    expect(llmConfig({})).toBeUndefined();
    expect(llmConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', AIRQ_LLM_MODEL: 'm' })).toMatchObject({ apiKey: undefined, model: 'm', judgeModel: 'm' });
    expect(serviceConfig({ AIRQ_MCP_TOKEN: 't', AIRQ_REQUIRE_DATA: '1' })).toMatchObject({ mcpToken: 't', requireData: true });
    expect(() => serviceConfig({ AIRQ_REQUIRE_DATA: 'yes' })).toThrow(/AIRQ_REQUIRE_DATA/);
    expect(embedderConfig({})).toEqual({ kind: 'auto', model: undefined, modelPath: undefined, offline: false });
  });
});

describe('errors', () => {
  it('carry a stable code and their class', () => {
    const e = new ValidationError('bad', { column: 'x' });
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.name, e.details]).toEqual(['VALIDATION', 'ValidationError', { column: 'x' }]);
    expect(new NotFoundError('x').code).toBe('NOT_FOUND');
  });
});

describe('logger', () => {
  it('writes lines at or above its level, with fields, to the given sink', () => {
    const lines: string[] = [];
    const log = createLogger('warn', (l) => lines.push(l));
    log.info('hidden');
    log.warn('shown', { n: 1 });
    expect(lines).toEqual(['[airq] warn: shown {"n":1}\n']);
  });
});
