// Recognising "no space left on device" (Node's ENOSPC, DuckDB's text, cp's) and saying it as one DiskFullError a person can act on.
import { DiskFullError, errorMessage } from './errors.js';

const NO_SPACE = /ENOSPC|No space left on device/i;

/** Whether `e` (or what caused it) says the disk is full. */
export function isNoSpace(e: unknown): boolean {
  for (let x = e, depth = 0; x !== undefined && x !== null && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if ((x as NodeJS.ErrnoException).code === 'ENOSPC') return true;
    if (NO_SPACE.test(errorMessage(x)) || NO_SPACE.test(String((x as { stderr?: unknown }).stderr ?? ''))) return true;
  }
  return false;
}

/**
 * "the disk holding <file> is full (No space left on device) while <doing>; nothing committed was lost: <kept>. Free some space on that disk and run the command again"
 * `kept` says what stays as it was (default: the store keeps its last commit, this write was rolled back).
 */
export function diskFullError(file: string, doing: string, kept = 'the store keeps its last committed state and this write was rolled back'): DiskFullError {
  return new DiskFullError(
    `the disk holding ${file} is full (ENOSPC: No space left on device) while ${doing}; nothing committed was lost: ${kept}. Free some space on that disk and run the command again`,
    { file, doing },
  );
}
