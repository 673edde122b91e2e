// Lets the conformance suite run on Node 20: it imports fs.globSync (Node 22), which this hook supplies.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
