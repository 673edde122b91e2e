// The `airq` command: runs the CLI with the process's streams and sets the exit code (0 success, 1 failure, 2 bad usage).
import { tolerateClosedStdout } from './cli/io.js';
import { main } from './cli/main.js';

tolerateClosedStdout();
process.exitCode = await main(process.argv.slice(2));
