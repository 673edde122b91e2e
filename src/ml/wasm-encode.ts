// A minimal WebAssembly binary writer: one module with an imported memory and exported functions, from instruction bytes.

/** Value types as the binary format spells them. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
type ValueType = typeof I32 | typeof F64 | typeof V128;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...new TextEncoder().encode(s)].map((b) => [b]));
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

/** The instructions the kernels use; each returns its bytes. Memory offsets are 0, alignments natural. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  f64: (x: number) => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  geU: [0x4f],
  ltU: [0x49],
  loadI32: [0x28, 2, 0],
  loadU16: [0x2f, 1, 0],
  loadU8: [0x2d, 0, 0],
  storeI32: [0x36, 2, 0],
  storeF64At: (offset: number) => [0x39, 3, ...uleb(offset)],
  eq: [0x46],
  leU: [0x4d],
  /** a b cond -> cond ? a : b */
  select: [0x1b],
  loadF64: [0x2b, 3, 0],
  /** f64.load at the address plus `offset` bytes. */
  loadF64At: (offset: number) => [0x2b, 3, ...uleb(offset)],
  storeI32At: (offset: number) => [0x36, 2, ...uleb(offset)],
  fAdd: [0xa0],
  fSub: [0xa1],
  fMul: [0xa2],
  fDiv: [0xa3],
  fLt: [0x63],
  fGt: [0x64],
  fGe: [0x66],
  /** if (no result) ... [else ...] end */
  if: [0x04, 0x40],
  else: [0x05],
  /** block / loop with no result; `end` closes either. */
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  v128Load: [0xfd, 0x00, 4, 0],
  v128Store: [0xfd, 0x0b, 4, 0],
  f64x2Splat: [0xfd, 0x14],
  f64x2ReplaceLane: (lane: number) => [0xfd, 0x22, lane],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Sub: [0xfd, ...uleb(0xf1)],
};

export interface WasmFunction {
  name: string;
  params: ValueType[];
  /** What it returns: nothing, or one value (left on the stack at the end of the body). */
  result?: ValueType;
  /** Local variables after the parameters, in order. */
  locals: ValueType[];
  body: number[][];
}

/** A module importing its memory as env.memory and exporting `functions`. */
export function wasmModule(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...(f.result === undefined ? [0] : [1, f.result])]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const code = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), ...op.end];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
