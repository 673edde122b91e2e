// Words people use for the knowledge base's topics: a query naming one term of a group also searches the group's other terms.
//
// The hashing embedder and BM25 both match words, so "is it OK to jog" misses a passage about
// "exercise" unless the query says it. Each group lists terms that mean the same thing to someone
// asking about air quality, with the question it exists for; the search adds the group's other
// terms to a text query on the documents group (nothing else changes: ranking stays hybrid).

interface SynonymGroup {
  terms: string[];
  /** The kind of question the group exists for. */
  for: string;
}

export const THESAURUS: SynonymGroup[] = [
  { terms: ['exercise', 'run', 'running', 'jog', 'jogging', 'workout', 'cycling', 'sport', 'marathon'], for: 'is it OK to jog / cycle / train outside?' },
  { terms: ['mask', 'respirator', 'n95', 'kn95', 'ffp2'], for: 'does a face mask help?' },
  { terms: ['purifier', 'hepa', 'air cleaner', 'filtration'], for: 'is an air purifier worth it?' },
  { terms: ['smog', 'haze', 'hazy', 'murky', 'polluted'], for: 'why is the sky grey and hazy?' },
  { terms: ['accuracy', 'accurate', 'error', 'wrong', 'reliable', 'trust'], for: 'how wrong are the forecasts?' },
  { terms: ['interval', 'range', 'uncertainty', 'spread'], for: 'what does the range under the number mean?' },
  { terms: ['children', 'kids', 'child', 'baby', 'toddler'], for: 'can the kids play outside?' },
  { terms: ['asthma', 'copd', 'lung', 'heart', 'respiratory', 'sensitive'], for: 'I have asthma / a heart condition' },
  { terms: ['indoors', 'inside', 'windows', 'home'], for: 'should I stay inside and keep the windows shut?' },
  { terms: ['guideline', 'limit', 'threshold', 'safe level'], for: 'what is the safe limit?' },
  { terms: ['category', 'colour', 'color', 'band'], for: 'what does orange / red / maroon mean?' },
  { terms: ['source', 'provider', 'come from', 'measured'], for: 'where do the numbers come from?' },
  { terms: ['episode', 'spell', 'spike', 'build up'], for: 'why do smog episodes last days?' },
  { terms: ['model', 'algorithm', 'machine learning', 'gradient boosting', 'trees'], for: 'what kind of model predicts this?' },
  { terms: ['hindcast', 'backtest', 'track record', 'past forecasts'], for: 'how did past forecasts do?' },
  { terms: ['synthetic', 'simulated', 'fake', 'made up', 'demo'], for: 'is the demo city real data?' },
];

const words = (text: string) => ` ${text.toLowerCase().replace(/[^a-z0-9.]+/g, ' ')} `;

/** The query with the other terms of every group it names appended. */
export function expandQuery(query: string): string {
  const q = words(query);
  const extra = new Set<string>();
  for (const g of THESAURUS) {
    // A term matches as a whole word or the start of one ("jogging" names "jog"; "running" names "run").
    if (g.terms.some((t) => q.includes(` ${t}`))) for (const t of g.terms) if (!q.includes(` ${t} `)) extra.add(t);
  }
  return extra.size === 0 ? query : `${query} ${[...extra].join(' ')}`;
}
