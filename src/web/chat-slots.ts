// How many chats `airq serve` streams at once, in all and per client: past either bound a chat is refused (429) instead of queued.

export interface ChatLimits {
  /** Chats streaming at once, from everyone. */
  total: number;
  /** Chats streaming at once from one client address. */
  perClient: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = { total: 16, perClient: 2 };

export class ChatSlots {
  private running = 0;
  private readonly byClient = new Map<string, number>();

  constructor(private readonly limits: ChatLimits = DEFAULT_CHAT_LIMITS) {}

  /** A slot for `client`, released by calling the function returned; undefined when a bound is reached. */
  take(client: string): (() => void) | undefined {
    const mine = this.byClient.get(client) ?? 0;
    if (this.running >= this.limits.total || mine >= this.limits.perClient) return undefined;
    this.running++;
    this.byClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left === 0) this.byClient.delete(client);
      else this.byClient.set(client, left);
    };
  }

  /** Why a chat was refused, for the 429's body. */
  describe(): string {
    return `at most ${this.limits.total} chats at once (${this.limits.perClient} from one client)`;
  }
}
