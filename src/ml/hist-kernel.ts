// The GBDT's histogram loop in WebAssembly: each cell adds (gradient, 1) to its bin with one SIMD add; the same sums, ~3.5x faster.
import type { BinnedData } from './grow.js';
import { I32, op, V128, wasmModule, type WasmFunction } from './wasm-encode.js';

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

/** The part of WebAssembly's JavaScript API used here (Node has it; the project's TypeScript libraries do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

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
function kernelModule(): object | null {
  if (compiled === undefined) {
    const bytes = wasmModule([histFunction(false), histFunction(true), SUBTRACT_FN]);
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/** Arrays of one fit laid out in one WebAssembly memory, so the kernel reads them where they are. */
export class HistWorkspace {
  private next: number;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly kernels: Kernels,
    private readonly histBytes: number,
    private readonly end: number,
    readonly slots: Uint16Array,
    readonly order: Uint32Array,
    readonly grad: Float64Array,
    /** The sampled features' columns, for histSome. */
    private readonly features: Int32Array,
    private readonly cols: number,
  ) {
    this.next = align(features.byteOffset + features.byteLength);
  }

  /**
   * A workspace for data `d` with room for `hists` histograms (more are plain arrays, summed in JavaScript), or
   * undefined when the kernel cannot run: no SIMD, a histogram too large for 16-bit slots, memory refused.
   */
  static create(d: BinnedData, hists: number): HistWorkspace | undefined {
    const module = kernelModule();
    if (!wasm || !module || !d.rowSlots) return undefined;
    const histBytes = d.histSize * 16;
    const count = Math.max(2, Math.min(hists, Math.floor(MAX_HIST_BYTES / histBytes)));
    const [slotsAt, orderAt] = [0, align(d.rowSlots.byteLength)];
    const gradAt = align(orderAt + d.rows * 4);
    const featuresAt = align(gradAt + d.rows * 8);
    const end = align(featuresAt + d.cols * 4) + count * histBytes;
    let memory: WasmMemory;
    try {
      memory = new wasm.Memory({ initial: Math.ceil(end / 65_536) });
    } catch {
      return undefined; // beyond what this process may reserve: the JavaScript loop needs no extra copy
    }
    const instance = new wasm.Instance(module, { env: { memory } });
    const slots = new Uint16Array(memory.buffer, slotsAt, d.rowSlots.length);
    slots.set(d.rowSlots);
    const order = new Uint32Array(memory.buffer, orderAt, d.rows);
    const grad = new Float64Array(memory.buffer, gradAt, d.rows);
    const features = new Int32Array(memory.buffer, featuresAt, d.cols);
    return new HistWorkspace(memory, instance.exports as unknown as Kernels, histBytes, end, slots, order, grad, features, d.cols);
  }

  /** A zeroed histogram in this memory, or undefined when its room is used up. */
  newHist(): Float64Array | undefined {
    if (this.next + this.histBytes > this.end) return undefined;
    const h = new Float64Array(this.memory.buffer, this.next, this.histBytes / 8);
    this.next += this.histBytes;
    return h;
  }

  /**
   * Sums the bins of `features` (columns, increasing; all of them when omitted) over order[start, end) into `hist`;
   * false (nothing done) unless `hist`, `order` and `grad` are this workspace's.
   */
  build(hist: Float64Array, order: Uint32Array, grad: Float64Array, start: number, end: number, features?: Int32Array): boolean {
    if (hist.buffer !== this.memory.buffer || order !== this.order || grad !== this.grad) return false;
    const at = [this.slots.byteOffset, order.byteOffset, grad.byteOffset, hist.byteOffset, start, end, this.cols] as const;
    if (features === undefined || features.length === this.cols) this.kernels.hist(...at);
    else if (features.length > 0) {
      this.features.set(features);
      this.kernels.histSome(...at, this.features.byteOffset, features.length);
    }
    return true;
  }

  /**
   * large -= small, every slot (both whole histograms; slots of features not summed hold leftovers nobody reads);
   * false (nothing done) unless both are in this memory.
   */
  subtract(large: Float64Array, small: Float64Array): boolean {
    if (large.buffer !== this.memory.buffer || small.buffer !== this.memory.buffer || large.length !== small.length) return false;
    this.kernels.subtract(large.byteOffset, small.byteOffset, large.byteLength);
    return true;
  }
}

interface Kernels {
  hist(slots: number, order: number, grad: number, hist: number, start: number, end: number, cols: number): void;
  histSome(slots: number, order: number, grad: number, hist: number, start: number, end: number, cols: number, features: number, nf: number): void;
  subtract(large: number, small: number, bytes: number): void;
}

/** Histograms a workspace holds at most (their number is the open leaves of a tree, at most maxLeaves + 1). */
const MAX_HIST_BYTES = 64 * 1024 * 1024;
const align = (n: number) => Math.ceil(n / 16) * 16;
