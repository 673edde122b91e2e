// DuckDB's Node API, loaded with require: it is CommonJS, and importing it as an ES module makes Node lex each of its
// files for their export names first, which cost ~0.14 s of every command that opens a store (measured 121-171 ms
// required against 295-308 ms imported).
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

export const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;
export type { DuckDB };
