// The agent's default limits, apart from the loop so that help texts can name them without loading it.

/** Model turns before the loop gives an honest partial answer. */
export const DEFAULT_MAX_STEPS = 6;
