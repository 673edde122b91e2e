// The aqicn.org (World Air Quality Index) live API: the current reading of a station, AQI -> µg/m³.
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { aqiToConcentration } from '../features/aqi.js';
import { fetchJson, type FetchOptions } from '../http/fetch.js';

const Reading = z.object({ v: z.number() });

/** The documented feed answer: `status` "ok" with data, or "error" with a message in `data`. */
const FeedSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    data: z
      .object({
        iaqi: z.object({ pm25: Reading.optional(), pm10: Reading.optional() }).passthrough(),
        time: z.object({ s: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) }).passthrough(),
      })
      .passthrough(),
  }),
  z.object({ status: z.literal('error'), data: z.string() }),
]);

export interface AqicnConfig {
  token: string;
  /** A feed name: "@10009", "sweden/stockholm/hornsgatan-108", or "geo:59.32;18.05". */
  station: string;
  baseUrl: string;
}

export interface AqicnReading {
  /** The station's local date of the reading. */
  date: string;
  pm25: number | null;
  pm10: number | null;
}

/** The station's current PM2.5 and PM10, converted from AQI with EPA's 2012 table. */
export async function aqicnCurrent(config: AqicnConfig, fetch: Partial<FetchOptions> = {}): Promise<AqicnReading> {
  const url = `${config.baseUrl.replace(/\/$/, '')}/feed/${config.station}/?token=${encodeURIComponent(config.token)}`;
  const body = await fetchJson(url, FeedSchema, { what: 'aqicn feed', ...fetch });
  if (body.status === 'error') {
    const hint = /key/i.test(body.data) ? '; check AQICN_API_KEY (get a token at aqicn.org/data-platform/token)' : '';
    throw new ValidationError(`aqicn feed for ${config.station}: ${body.data}${hint}`);
  }
  const d = body.data;
  const convert = (r: { v: number } | undefined, p: 'pm25' | 'pm10') => (r === undefined ? null : aqiToConcentration(r.v, p, '2012'));
  return { date: d.time.s.slice(0, 10), pm25: convert(d.iaqi.pm25, 'pm25'), pm10: convert(d.iaqi.pm10, 'pm10') };
}
