// The GBDT's inner loops in WebAssembly (histograms with SIMD, histogram subtraction, split scan, partition): the same operations in the same order as grow.ts.
import { F64, I32, op, V128, wasmModule, type WasmFunction } from './wasm-encode.js';

// hist(slots, order, grad, hist, start, end, cols): for k in [start, end), row i = order[k], every feature's slot s of
// row i (slots[i * cols + j], a global bin): hist[s] += (grad[i], 1), the pair of doubles as one f64x2. Byte addresses.
// histSome(..., features, nf) does the same for the nf columns listed (i32) at `features` only (column sampling).
const [SLOTS, ORDER, GRAD, HIST, START, END, COLS, FEATURES, NF] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

function histFunction(sampled: boolean): WasmFunction {
  const first = sampled ? 9 : 7;
  const [K, P, STOP, AT, J, GV] = [first, first + 1, first + 2, first + 3, first + 4, first + 5];
  const add = [...op.get(AT), ...op.get(AT), ...op.v128Load, ...op.get(GV), ...op.f64x2Add, ...op.v128Store];
  // P = the row's slots; each step: AT = hist + slot * 16, *AT += GV.
  const cells = sampled
    ? [
        [...op.get(FEATURES), ...op.tee(J), ...op.get(NF), ...op.i32(2), ...op.shl, ...op.add, ...op.set(STOP)],
        [...op.loop],
        [...op.get(HIST), ...op.get(P), ...op.get(J), ...op.loadI32, ...op.i32(1), ...op.shl, ...op.add, ...op.loadU16],
        [...op.i32(4), ...op.shl, ...op.add, ...op.set(AT), ...add],
        [...op.get(J), ...op.i32(4), ...op.add, ...op.tee(J), ...op.get(STOP), ...op.ltU, ...op.brIf(0)],
        [...op.end],
      ]
    : [
        [...op.get(P), ...op.get(COLS), ...op.i32(1), ...op.shl, ...op.add, ...op.set(STOP)],
        [...op.loop],
        [...op.get(HIST), ...op.get(P), ...op.loadU16, ...op.i32(4), ...op.shl, ...op.add, ...op.set(AT), ...add],
        [...op.get(P), ...op.i32(2), ...op.add, ...op.tee(P), ...op.get(STOP), ...op.ltU, ...op.brIf(0)],
        [...op.end],
      ];
  return {
    name: sampled ? 'histSome' : 'hist',
    params: Array<typeof I32>(first).fill(I32),
    locals: [I32, I32, I32, I32, I32, V128],
    body: [
      [...op.get(START), ...op.set(K)],
      [...op.block, ...op.loop],
      [...op.get(K), ...op.get(END), ...op.geU, ...op.brIf(1)],
      // AT = i = order[k]; P = slots + i * cols * 2; GV = (grad[i], 1)
      [...op.get(ORDER), ...op.get(K), ...op.i32(2), ...op.shl, ...op.add, ...op.loadI32, ...op.tee(AT)],
      [...op.get(COLS), ...op.mul, ...op.i32(1), ...op.shl, ...op.get(SLOTS), ...op.add, ...op.set(P)],
      [...op.f64(1), ...op.f64x2Splat],
      [...op.get(GRAD), ...op.get(AT), ...op.i32(3), ...op.shl, ...op.add, ...op.loadF64],
      [...op.f64x2ReplaceLane(0), ...op.set(GV)],
      ...cells,
      [...op.get(K), ...op.i32(1), ...op.add, ...op.set(K), ...op.br(0)],
      [...op.end, ...op.end],
    ],
  };
}

// bestBin(hist, valueBins, mg, mn, total, count, lambda, minN, parent, best, out) -> the best gain: the split scan of
// one feature (grow.ts, bestSplit), the same operations in the same order. It starts from `best` and keeps a candidate
// only when its gain is greater; for the last one kept it writes the bin (i32) and whether missing values go left
// (i32) at `out`. `hist` is the byte address of the feature's bin 0; mg and mn are the missing bin's sums.
const [H, VB, MG, MN, TOTAL, COUNT, LAMBDA, MINN, PARENT, BEST, OUT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const [B, LAST, ADDR, LG, LN, G, N, T] = [11, 12, 13, 14, 15, 16, 17, 18];

/** gain = 0.5 * ((g*g)/(n+lambda) + (t*t)/((count-n)+lambda) - parent), t = total - g; keep it when > best. */
function candidate(g: number, n: number, side: number): number[][] {
  return [
    [...op.get(TOTAL), ...op.get(g), ...op.fSub, ...op.set(T)],
    [...op.f64(0.5), ...op.get(g), ...op.get(g), ...op.fMul, ...op.get(n), ...op.get(LAMBDA), ...op.fAdd, ...op.fDiv],
    [...op.get(T), ...op.get(T), ...op.fMul, ...op.get(COUNT), ...op.get(n), ...op.fSub, ...op.get(LAMBDA), ...op.fAdd, ...op.fDiv],
    [...op.fAdd, ...op.get(PARENT), ...op.fSub, ...op.fMul, ...op.tee(T)],
    [...op.get(BEST), ...op.fGt, ...op.if],
    [...op.get(T), ...op.set(BEST), ...op.get(OUT), ...op.get(B), ...op.storeI32At(0), ...op.get(OUT), ...op.i32(side), ...op.storeI32At(4)],
    [...op.end],
  ];
}

const BEST_BIN_FN: WasmFunction = {
  name: 'bestBin',
  params: [I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, I32],
  result: F64,
  locals: [I32, I32, I32, F64, F64, F64, F64, F64],
  body: [
    [...op.get(VB), ...op.i32(1), ...op.sub, ...op.set(LAST), ...op.get(H), ...op.set(ADDR)],
    [...op.block, ...op.loop],
    [...op.get(B), ...op.get(LAST), ...op.geU, ...op.brIf(1)],
    [...op.get(LG), ...op.get(ADDR), ...op.loadF64, ...op.fAdd, ...op.set(LG)],
    [...op.get(LN), ...op.get(ADDR), ...op.loadF64At(8), ...op.fAdd, ...op.set(LN)],
    // Too few rows stay right from here on.
    [...op.get(COUNT), ...op.get(LN), ...op.fSub, ...op.get(MINN), ...op.fLt, ...op.brIf(1)],
    // Missing values right.
    [...op.get(LN), ...op.get(MINN), ...op.fGe, ...op.if],
    ...candidate(LG, LN, 0),
    [...op.end],
    // Missing values left, when there are any.
    [...op.get(MN), ...op.f64(0), ...op.fGt, ...op.if],
    [...op.get(LG), ...op.get(MG), ...op.fAdd, ...op.set(G), ...op.get(LN), ...op.get(MN), ...op.fAdd, ...op.set(N)],
    [...op.get(N), ...op.get(MINN), ...op.fGe, ...op.if],
    [...op.get(COUNT), ...op.get(N), ...op.fSub, ...op.get(MINN), ...op.fGe, ...op.if],
    ...candidate(G, N, 1),
    [...op.end, ...op.end, ...op.end],
    [...op.get(B), ...op.i32(1), ...op.add, ...op.set(B), ...op.get(ADDR), ...op.i32(16), ...op.add, ...op.set(ADDR), ...op.br(0)],
    [...op.end, ...op.end],
    [...op.get(BEST)],
  ],
};

// partition(column, order, start, end, scratch, miss, missingLeft, bin, grad, out) -> l: a split of order[start, end)
// as grow.ts's partition does it: rows going left stay in `order` from `start`, in order; rows going right go to
// `scratch` from 0, in order; each side's gradients summed as it goes, written as two doubles at `out`. `column` is the
// byte address of the split feature's bins (one byte a row).
const [COLUMN, P_ORDER, P_START, P_END, SCRATCH, MISS, MLEFT, SBIN, P_GRAD, P_OUT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [PK, PL, PR, PI, PBIN, GL, GR] = [10, 11, 12, 13, 14, 15, 16];
const gradOf = [...op.get(P_GRAD), ...op.get(PI), ...op.i32(3), ...op.shl, ...op.add, ...op.loadF64];
const PARTITION_FN: WasmFunction = {
  name: 'partition',
  params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
  result: I32,
  locals: [I32, I32, I32, I32, I32, F64, F64],
  body: [
    [...op.get(P_START), ...op.tee(PK), ...op.set(PL)],
    [...op.block, ...op.loop],
    [...op.get(PK), ...op.get(P_END), ...op.geU, ...op.brIf(1)],
    [...op.get(P_ORDER), ...op.get(PK), ...op.i32(2), ...op.shl, ...op.add, ...op.loadI32, ...op.set(PI)],
    [...op.get(COLUMN), ...op.get(PI), ...op.add, ...op.loadU8, ...op.set(PBIN)],
    // left = bin == miss ? missingLeft : bin <= split bin
    [...op.get(MLEFT), ...op.get(PBIN), ...op.get(SBIN), ...op.leU, ...op.get(PBIN), ...op.get(MISS), ...op.eq, ...op.select, ...op.if],
    [...op.get(P_ORDER), ...op.get(PL), ...op.i32(2), ...op.shl, ...op.add, ...op.get(PI), ...op.storeI32],
    [...op.get(PL), ...op.i32(1), ...op.add, ...op.set(PL), ...op.get(GL), ...gradOf, ...op.fAdd, ...op.set(GL)],
    [...op.else],
    [...op.get(SCRATCH), ...op.get(PR), ...op.i32(2), ...op.shl, ...op.add, ...op.get(PI), ...op.storeI32],
    [...op.get(PR), ...op.i32(1), ...op.add, ...op.set(PR), ...op.get(GR), ...gradOf, ...op.fAdd, ...op.set(GR)],
    [...op.end],
    [...op.get(PK), ...op.i32(1), ...op.add, ...op.set(PK), ...op.br(0)],
    [...op.end, ...op.end],
    [...op.get(P_OUT), ...op.get(GL), ...op.storeF64At(0), ...op.get(P_OUT), ...op.get(GR), ...op.storeF64At(8), ...op.get(PL)],
  ],
};

/** The part of WebAssembly's JavaScript API used here (Node has it; the project's TypeScript libraries do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
}
export const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

// subtract(large, small, bytes): large[k] -= small[k] over `bytes` bytes (a multiple of 16), two doubles at a time.
const [LARGE, SMALL, BYTES, AT2] = [0, 1, 2, 3];
const SUBTRACT_FN: WasmFunction = {
  name: 'subtract',
  params: [I32, I32, I32],
  locals: [I32],
  body: [
    [...op.i32(0), ...op.set(AT2)],
    [...op.block, ...op.loop],
    [...op.get(AT2), ...op.get(BYTES), ...op.geU, ...op.brIf(1)],
    [...op.get(LARGE), ...op.get(AT2), ...op.add],
    [...op.get(LARGE), ...op.get(AT2), ...op.add, ...op.v128Load],
    [...op.get(SMALL), ...op.get(AT2), ...op.add, ...op.v128Load],
    [...op.f64x2Sub, ...op.v128Store],
    [...op.get(AT2), ...op.i32(16), ...op.add, ...op.set(AT2), ...op.br(0)],
    [...op.end, ...op.end],
  ],
};

let compiled: object | null | undefined;
/** The compiled kernel, or null where WebAssembly SIMD is missing (the JavaScript loop runs instead). */
export function kernelModule(): object | null {
  if (compiled === undefined) {
    const bytes = wasmModule([histFunction(false), histFunction(true), SUBTRACT_FN, BEST_BIN_FN, PARTITION_FN]);
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/** A feature's split scan in the kernel: what bestBin needs besides the histogram. */
export interface ScanParams {
  total: number;
  count: number;
  lambda: number;
  minN: number;
  parent: number;
}

export interface Kernels {
  hist(slots: number, order: number, grad: number, hist: number, start: number, end: number, cols: number): void;
  histSome(slots: number, order: number, grad: number, hist: number, start: number, end: number, cols: number, features: number, nf: number): void;
  subtract(large: number, small: number, bytes: number): void;
  bestBin(...args: number[]): number;
  partition(...args: number[]): number;
}
