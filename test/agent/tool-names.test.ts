// The planner's table of tool and argument names against the tools airq serves: a renamed tool or argument fails here, not silently.
import { describe, expect, it } from 'vitest';
import { TOOL, TOOL_ARGS, type ToolKey } from '../../src/agent/planner/tool-names.js';
import { TOOLS } from '../../tools/index.js';

describe('the planner calls tools by the names the server serves', () => {
  it.each(Object.keys(TOOL).map((k) => [k as ToolKey]))('%s: the tool and each argument the planner passes exist', (key) => {
    const tool = TOOLS.find((t) => t.name === TOOL[key]);
    expect(tool, TOOL[key]).toBeDefined();
    const accepted = Object.keys(tool!.input.shape);
    expect(TOOL_ARGS[key].filter((a) => !accepted.includes(a))).toEqual([]);
  });
});
