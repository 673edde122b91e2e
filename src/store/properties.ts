// Store properties: small JSON values an application keeps with its data (its clock, its source), committed like any write.
import { ConfigError, ValidationError } from '../core/errors.js';
import type { Database } from './db/database.js';

export const PROPERTIES_DDL = `CREATE TABLE IF NOT EXISTS airq_properties (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)`;

const KEY = /^[a-z][a-z0-9_.-]{0,99}$/;
const MAX_BYTES = 64 * 1024;

/** A stored value that is not JSON: reading it is an error that names the key. */
const DAMAGED = Symbol('damaged');

export class Properties {
  private constructor(private readonly values: Map<string, unknown>) {}

  static async load(db: Database): Promise<Properties> {
    const rows = await db.query(`SELECT key, value FROM airq_properties`).catch(() => []); // a store from before properties
    const values = new Map<string, unknown>();
    for (const r of rows) {
      try {
        values.set(String(r.key), JSON.parse(String(r.value)));
      } catch {
        values.set(String(r.key), DAMAGED);
      }
    }
    return new Properties(values);
  }

  /** The value of `key` as this process last saw it committed (undefined when unset). */
  get(key: string): unknown {
    const v = this.values.get(key);
    if (v === DAMAGED) throw new ConfigError(`the store's property "${key}" is damaged (not JSON); set it again, or delete it`);
    return v;
  }

  /** Sets `key` to a JSON value (null deletes it), in the write transaction in progress or in one of its own. */
  async set(db: Database, key: string, value: unknown): Promise<void> {
    if (!KEY.test(key)) throw new ValidationError(`a property key is lowercase letters, digits, '.', '_' and '-', starting with a letter; got "${key}"`);
    const text = value === null || value === undefined ? null : JSON.stringify(value);
    if (text !== null && Buffer.byteLength(text) > MAX_BYTES) throw new ValidationError(`property "${key}" is over ${MAX_BYTES / 1024} KiB`);
    const old = this.values.get(key);
    if (old !== DAMAGED && (old === undefined ? null : JSON.stringify(old)) === text) return;
    await db.write(async (tx) => {
      if (text === null) await tx.run(`DELETE FROM airq_properties WHERE key = $1`, [key]);
      else
        await tx.run(`INSERT INTO airq_properties VALUES ($1, $2, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`, [
          key,
          text,
        ]);
      tx.onCommit(() => {
        if (text === null) this.values.delete(key);
        else this.values.set(key, JSON.parse(text));
      });
    });
  }
}
