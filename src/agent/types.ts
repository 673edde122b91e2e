// The agent's vocabulary: chat messages, tool specs, what a model answers, and the model interface both the LLM and the planner implement.

/** A tool call as a model wrote it: arguments stay raw JSON text until they are validated. */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCallRequest[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError: boolean };

/** A tool as tools/list describes it. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface KnownLocation {
  id: string;
  name: string;
  aliases: string[];
  /** The city the place is in, when the server says: a question naming the city covers all its places. */
  city?: string;
}

/** What every model is told besides the conversation. */
export interface AgentContext {
  today: string;
  weekday: string;
  locations: KnownLocation[];
}

/** The next step a model asks for: the loop branches on this and nothing else. */
export type ModelTurn = { type: 'final'; text: string } | { type: 'tool_calls'; calls: ToolCallRequest[]; text?: string };

export interface ModelUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ModelRequest {
  messages: ChatMessage[];
  tools: ToolSpec[];
  context: AgentContext;
  signal: AbortSignal;
  /** Receives the final answer as it is generated, when the model can stream. */
  onText?: (delta: string) => void;
}

export interface ModelResponse {
  turn: ModelTurn;
  model: string;
  usage?: ModelUsage;
  /** Attempts that failed (429, 5xx, timeouts) before this response. */
  retries?: number;
}

export interface Model {
  readonly name: string;
  respond(request: ModelRequest): Promise<ModelResponse>;
}
