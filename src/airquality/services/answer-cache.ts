// Answers kept while the groups they read have not changed; keyed by store directory, so they outlive a reader's switch to a newer snapshot.
import type { FeatureStore } from '../../store/index.js';

interface Slot<V> {
  /** The last commit ids of the groups read, when the answers were computed. */
  version: string;
  answers: Map<string, Promise<V>>;
}

export class AnswerCache<V> {
  private readonly byDir = new Map<string, Slot<V>>();

  /** `groups`: the feature groups (latest versions) the answers read; a commit to any of them drops the answers. */
  constructor(
    private readonly groups: readonly string[],
    private readonly maxAnswers = 10_000,
    private readonly maxDirs = 16,
  ) {}

  private versionOf(store: FeatureStore): string {
    const ids = new Map(store.listFeatureGroups().map((g) => [g.name, g.lastCommitId]));
    return this.groups.map((g) => ids.get(g) ?? 0).join(',');
  }

  /** The answer for `key`, computed once per version of the groups (a failed computation is not kept). */
  get(store: FeatureStore, key: string, compute: () => Promise<V>): Promise<V> {
    const version = this.versionOf(store);
    let slot = this.byDir.get(store.dir);
    if (!slot || slot.version !== version) {
      slot = { version, answers: new Map() };
      this.byDir.delete(store.dir);
      this.byDir.set(store.dir, slot);
      if (this.byDir.size > this.maxDirs) this.byDir.delete(this.byDir.keys().next().value!);
    }
    const hit = slot.answers.get(key);
    if (hit) return hit;
    const answer = compute();
    if (slot.answers.size < this.maxAnswers) {
      const kept = slot;
      kept.answers.set(key, answer);
      answer.catch(() => kept.answers.delete(key));
    }
    return answer;
  }
}
