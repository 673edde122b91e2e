// Splits markdown into chunks that keep their context: heading- and paragraph-aware, sentences as a fallback.
//
// Each chunk carries its document's title and heading path, and is embedded with them in front
// (contextualText), so a chunk that says "it is lowered to 9.0" still knows it is about the PM2.5
// AQI — the "lost context" problem of naive chunking.

export interface ChunkOptions {
  /** Most characters of body text in one chunk. */
  maxChars?: number;
  /** Characters of the previous chunk repeated at the start of the next one in the same section. */
  overlap?: number;
}

export interface Chunk {
  docId: string;
  title: string;
  headingPath: string[];
  /** Position in the document, from 0. */
  index: number;
  text: string;
}

interface Section {
  path: string[];
  paragraphs: string[];
}

function sections(markdown: string): { title: string | undefined; sections: Section[] } {
  const out: Section[] = [];
  let title: string | undefined;
  let path: string[] = [];
  let current: Section = { path: [], paragraphs: [] };
  let para: string[] = [];
  const flushPara = () => {
    const text = para.join(' ').replace(/\s+/g, ' ').trim();
    if (text) current.paragraphs.push(text);
    para = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      flushPara();
      if (current.paragraphs.length > 0) out.push(current);
      const level = h[1]!.length;
      const text = h[2]!.trim();
      if (level === 1 && title === undefined) {
        title = text;
        path = [];
      } else path = [...path.slice(0, Math.max(0, level - 2)), text];
      current = { path, paragraphs: [] };
    } else if (line.trim() === '') flushPara();
    else {
      // A list item starts a paragraph of its own.
      if (/^\s*([-*]|\d+\.)\s/.test(line)) flushPara();
      para.push(line.trim());
    }
  }
  flushPara();
  if (current.paragraphs.length > 0) out.push(current);
  return { title, sections: out };
}

/** Pieces of at most `max` characters: whole sentences where possible, hard cuts for a sentence that is longer. */
function pieces(paragraph: string, max: number): string[] {
  if (paragraph.length <= max) return [paragraph];
  const out: string[] = [];
  for (const sentence of paragraph.split(/(?<=[.!?])\s+/)) {
    for (let i = 0; i < sentence.length; i += max) out.push(sentence.slice(i, i + max));
  }
  return out;
}

/** The end of `text`, about `n` characters, starting at a word boundary. */
function tail(text: string, n: number): string {
  if (n <= 0 || text.length <= n) return n <= 0 ? '' : text;
  const cut = text.slice(text.length - n);
  const space = cut.indexOf(' ');
  return space >= 0 ? cut.slice(space + 1) : cut;
}

export function chunkMarkdown(docId: string, markdown: string, options: ChunkOptions = {}): Chunk[] {
  const maxChars = options.maxChars ?? 1200;
  const overlap = Math.min(options.overlap ?? 150, Math.floor(maxChars / 4));
  const parsed = sections(markdown);
  const title = parsed.title ?? docId;
  const chunks: Chunk[] = [];
  for (const s of parsed.sections) {
    let body = '';
    const emit = () => {
      if (body.trim()) chunks.push({ docId, title, headingPath: s.path, index: chunks.length, text: body.trim() });
    };
    for (const para of s.paragraphs) {
      for (const piece of pieces(para, maxChars - overlap)) {
        if (body && body.length + 1 + piece.length > maxChars) {
          emit();
          body = tail(body, overlap);
        }
        body = body ? `${body}\n${piece}` : piece;
      }
    }
    emit();
  }
  return chunks;
}

/** What gets embedded: the chunk with its title and heading path in front. */
export function contextualText(c: Chunk): string {
  return [[c.title, ...c.headingPath].join(' > '), c.text].join('\n');
}
