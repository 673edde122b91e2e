// The `airq` command: runs the CLI with the process's streams and sets the exit code (0 success, 1 failure, 2 bad usage).
import { main } from './cli/main.js';

// A reader that stops early (`airq fg read x | head`) closes the pipe: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
