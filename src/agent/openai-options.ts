// The options of the OpenAI-compatible model and how the CLI reads them from the environment (no SDK loaded for that).
import { llmConfig } from '../core/config.js';

export interface OpenAIModelOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Retries after 429, 5xx, timeouts and dropped connections (default 3), with exponential backoff. */
  maxRetries?: number;
  /** First backoff delay; doubled per retry, or the server's Retry-After when it sends one (default 500 ms). */
  retryBaseMs?: number;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  /**
   * Strict function calling (tool schemas in OpenAI's strict subset, arguments mapped back before validation). 'auto' (the
   * default): strict, and when the endpoint answers 400 about strict or the schema, once more without it, remembered for
   * this model's life. true: always strict; false: never.
   */
  strictTools?: boolean | 'auto';
}

/** OPENAI_API_KEY, OPENAI_BASE_URL, AIRQ_LLM_MODEL and AIRQ_LLM_STRICT, as the CLI reads them. */
export function openAIOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenAIModelOptions | undefined {
  const c = llmConfig(env);
  return c && { apiKey: c.apiKey, baseURL: c.baseURL, model: c.model, strictTools: c.strict === 'auto' ? 'auto' : c.strict === 'on' };
}
