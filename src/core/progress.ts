// Progress of long runs on stderr: a bar that redraws itself on a terminal, a line every ~10% otherwise.

export interface ProgressStep {
  done: number;
  total: number;
  message: string;
}
export type ProgressFn = (step: ProgressStep) => void;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 24;

export function progressReporter(label: string, stream: ProgressStream = process.stderr): ProgressFn {
  let lastDecile = -1;
  return ({ done, total, message }) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    if (stream.isTTY) {
      const filled = Math.round(fraction * WIDTH);
      stream.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${message}`);
      if (done >= total) stream.write('\n');
      return;
    }
    // Not a terminal (a log file, CI): a plain line when a new tenth is reached, and at the end.
    const decile = Math.floor(fraction * 10);
    if (decile > lastDecile || done >= total) {
      lastDecile = decile;
      stream.write(`[airq] ${label}: ${done}/${total} ${message}\n`);
    }
  };
}
