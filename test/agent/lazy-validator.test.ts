// The agent's MCP client compiles a tool's output schema when that tool's result is first checked, and still rejects results that break it.
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { JsonSchemaType, jsonSchemaValidator } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { lazyValidator } from '../../src/agent/mcp-tools.js';

/** The SDK's Ajv validator, counting the schemas it compiles. */
function countingAjv(): { inner: jsonSchemaValidator; compiled: () => number } {
  const ajv = new AjvJsonSchemaValidator();
  let n = 0;
  return {
    inner: { getValidator: <T>(schema: JsonSchemaType) => (n++, ajv.getValidator<T>(schema)) },
    compiled: () => n,
  };
}

const SCHEMA: JsonSchemaType = { type: 'object', properties: { pm25: { type: 'number' } }, required: ['pm25'] };

describe('lazyValidator', () => {
  it('compiles a schema on its first use, once', () => {
    const { inner, compiled } = countingAjv();
    const lazy = lazyValidator(inner);
    const validators = [lazy.getValidator(SCHEMA), lazy.getValidator({ type: 'string' })];
    expect(compiled()).toBe(0);
    expect(validators[0]!({ pm25: 12 })).toMatchObject({ valid: true, data: { pm25: 12 } });
    expect(validators[0]!({ pm25: 13 }).valid).toBe(true);
    expect(compiled()).toBe(1);
  });

  it('rejects what breaks the schema, as the SDK validator does', () => {
    const v = lazyValidator().getValidator(SCHEMA);
    const r = v({ pm25: 'high' });
    expect(r.valid).toBe(false);
    expect(r.errorMessage).toMatch(/pm25/);
  });

  it('fails only the tool whose schema does not compile, when it is used', () => {
    const lazy = lazyValidator();
    const bad = lazy.getValidator({ type: 'string', pattern: '(' });
    const good = lazy.getValidator(SCHEMA);
    expect(good({ pm25: 1 }).valid).toBe(true);
    expect(() => bad('x')).toThrow();
  });
});
