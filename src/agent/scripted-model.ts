// A Model that plays a script instead of thinking: per step tool calls or a final text (or a function of the request), recording every request — the loop's in-process test double.
import type { AgentContext, ChatMessage, Model, ModelRequest, ModelResponse, ModelUsage, ToolCallRequest, ToolSpec } from './types.js';

export interface ScriptedCall {
  name: string;
  /** An object is sent as JSON; a string as it is (to script malformed JSON). */
  arguments?: Record<string, unknown> | string;
  id?: string;
}

export type ScriptedTurn = { final: string } | { calls: ScriptedCall[]; text?: string };

/** One step of the script: a turn, or a function of the request that gives one (it may wait, e.g. for an abort). */
export type ScriptedStep = ScriptedTurn | ((request: RecordedRequest, step: number) => ScriptedTurn | Promise<ScriptedTurn>);

/** What the model was asked, copied when it was asked (the loop keeps appending to its own message list). */
export interface RecordedRequest {
  messages: ChatMessage[];
  tools: ToolSpec[];
  context: AgentContext;
  /** The caller passed onText. */
  streaming: boolean;
}

export interface ScriptedModelOptions {
  name?: string;
  /** Reported with every response (the loop sums it into the run's usage). */
  usage?: ModelUsage;
}

export class ScriptedModel implements Model {
  readonly name: string;
  readonly requests: RecordedRequest[] = [];

  constructor(
    private readonly script: ScriptedStep[],
    private readonly options: ScriptedModelOptions = {},
  ) {
    this.name = options.name ?? 'scripted-model';
  }

  async respond(request: ModelRequest): Promise<ModelResponse> {
    request.signal.throwIfAborted();
    const step = this.requests.length;
    const recorded: RecordedRequest = {
      messages: structuredClone(request.messages),
      tools: request.tools,
      context: request.context,
      streaming: request.onText !== undefined,
    };
    this.requests.push(recorded);
    const next = this.script[step];
    if (!next) throw new Error(`the script has ${this.script.length} steps and step ${step + 1} was asked for`);
    const turn = await untilAborted(Promise.resolve(typeof next === 'function' ? next(recorded, step) : next), request.signal);
    const base = { model: this.name, ...(this.options.usage ? { usage: this.options.usage } : {}) };
    if ('final' in turn) {
      // Streams like an LLM would: word by word, when asked to.
      for (const piece of turn.final.match(/\S+\s*|\s+/g) ?? []) request.onText?.(piece);
      return { ...base, turn: { type: 'final', text: turn.final } };
    }
    const calls: ToolCallRequest[] = turn.calls.map((c, i) => ({
      id: c.id ?? `call_${step + 1}_${i + 1}`,
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}),
    }));
    return { ...base, turn: { type: 'tool_calls', calls, ...(turn.text === undefined ? {} : { text: turn.text }) } };
  }
}

/** Rejects with the signal's reason as soon as it aborts, as a model waiting on the network would. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
