// Starts `airq mcp --http --port 0` on a store as a child process and waits for the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface McpHttpServer {
  url: string;
  stop(): Promise<void>;
}

export async function startMcpHttp(storeDir: string, today: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<McpHttpServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, '..', '..', 'bin', 'airq.js'), 'mcp', '--http', '--port', '0', '--store', storeDir, '--today', today, ...args],
    { env: { ...process.env, AIRQ_LOG_LEVEL: 'info', ...env } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /Streamable HTTP at (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`airq mcp --http exited: ${err}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
