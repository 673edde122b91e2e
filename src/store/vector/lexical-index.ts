// A BM25 index (MiniSearch's BM25+) over a group's text columns: the lexical half of hybrid search.
import MiniSearch from 'minisearch';

// Words that carry no topic: dropped from documents and queries alike, so BM25 ranks by the words that matter.
const STOP_WORDS = new Set(
  (
    'a about above after again all am an and any are as at be because been before being below between both but by can could did do does ' +
    'doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just me ' +
    'more most my no nor not now of off on once only or other our ours out over own same she should so some such than that the their ' +
    'theirs them then there these they this those through to too under until up very was we were what when where which while who whom ' +
    'why will with would you your yours'
  ).split(' '),
);

/**
 * "PM2.5", "pm 2.5" and "pm25" are one word; so are "PM10" and "pm 10". An acronym written in capitals
 * ("WHO", "US") is marked so it is never taken for the stop word it spells.
 */
const normalizeText = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\b([A-Z]{2,5})\b/g, (a) => (STOP_WORDS.has(a.toLowerCase()) ? `${a}x` : a))
    .toLowerCase()
    .replace(/\bpm\s?2[.,]5\b/g, 'pm25')
    .replace(/\bpm\s?10\b/g, 'pm10')
    // After NFKD, "µg/m³" reads "μg/m3" (Greek mu, plain 3).
    .replace(/[μu]g\/m3/g, ' microgram ');

const tokenize = (text: string) => normalizeText(text).split(/[^\p{L}\p{N}]+/u);

/** A light English stemmer: plurals and the commonest verb endings, so "runs", "running" and "run" meet. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return undouble(word.slice(0, -2));
  if (word.endsWith('es') && /(?:ch|sh|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** "running" → "runn" → "run". */
const undouble = (w: string) => (w.length > 3 && w.at(-1) === w.at(-2) && !'lsz'.includes(w.at(-1)!) ? w.slice(0, -1) : w);

const processTerm = (term: string) => (term.length < 2 || STOP_WORDS.has(term) ? null : stem(term));

export interface LexicalHit {
  /** Position of the row as given to build. */
  index: number;
  /** BM25+ score: higher is a better lexical match; comparable only within one query. */
  score: number;
}

export class LexicalIndex {
  private constructor(private readonly search: MiniSearch<Record<string, string | number>>) {}

  /** Indexes each row's text columns as separate fields, so a word in a short title weighs more than in a long text. */
  static build(rows: readonly string[][]): LexicalIndex {
    const fields = (rows[0] ?? []).map((_, i) => `f${i}`);
    const ms = new MiniSearch<Record<string, string | number>>({ fields, tokenize, processTerm });
    ms.addAll(rows.map((row, id) => ({ id, ...Object.fromEntries(row.map((t, i) => [`f${i}`, t])) })));
    return new LexicalIndex(ms);
  }

  /** The texts matching any query word, best first; misspellings within a small edit distance count, for a lower score. */
  find(query: string, limit: number): LexicalHit[] {
    const hits = this.search.search(query, { fuzzy: (term) => (term.length >= 5 ? 0.2 : false), prefix: (term) => term.length >= 4, combineWith: 'OR' });
    return hits.slice(0, limit).map((h) => ({ index: h.id as number, score: h.score }));
  }
}
