// Help text to a terminal's width: long lines wrap at words, continuing under their own description column.
const WIDTH = 100;

/** Where a line's description starts: after its leading spaces, or after a "--flag VALUE  " column. */
function hangingIndent(line: string): number {
  const lead = /^ */.exec(line)![0].length;
  const column = /^( *\S.*?\S {2,})\S/.exec(line);
  return column ? column[1]!.length : lead;
}

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = ' '.repeat(Math.min(hangingIndent(line), 40));
  const out: string[] = [];
  let current = '';
  for (const word of line.trimEnd().split(/(?<=\S) (?=\S)/)) {
    const next = current === '' ? word : `${current} ${word}`;
    if (next.length > width && current.trim() !== '') {
      out.push(current);
      current = indent + word.trimStart();
    } else current = next;
  }
  out.push(current);
  return out;
}

export function wrapText(text: string, width = WIDTH): string {
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}
