// One GBDT fit's arrays in one WebAssembly memory (rows' slots and bins, row order, gradients, histograms), so the kernels of gbdt-kernels.ts read them where they are.
import type { BinnedData } from './grow.js';
import { kernelModule, wasm, type Kernels, type ScanParams, type WasmMemory } from './gbdt-kernels.js';

interface Arrays {
  /** Each cell's global bin, row-major (d.rowSlots): what histograms read. */
  slots: Uint16Array;
  /** The bins column-major (d.bins): what partitions read. */
  bins: Uint8Array;
  /** Where a partition puts the right side's rows before they follow the left side's in `order`. */
  scratch: Uint32Array;
  order: Uint32Array;
  grad: Float64Array;
  /** The sampled features' columns, for histSome. */
  features: Int32Array;
  /** Where bestBin and partition write what they return besides their result (as int32s, as doubles). */
  out: Int32Array;
  sums: Float64Array;
}

/** The arrays of one fit in one WebAssembly memory, and the kernels over them. */
export class HistWorkspace {
  private next: number;

  /** Row order and gradients, as the fit keeps them: in this memory, the kernels read them where they are. */
  readonly order: Uint32Array;
  readonly grad: Float64Array;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly kernels: Kernels,
    private readonly histBytes: number,
    private readonly end: number,
    private readonly a: Arrays,
    private readonly rows: number,
    private readonly cols: number,
  ) {
    [this.order, this.grad] = [a.order, a.grad];
    this.next = align(a.out.byteOffset + a.out.byteLength);
  }

  /**
   * A workspace for data `d` with room for `hists` histograms (more are plain arrays, summed in JavaScript), or
   * undefined when the kernel cannot run: no SIMD, a histogram too large for 16-bit slots, no columns, memory refused.
   */
  static create(d: BinnedData, hists: number): HistWorkspace | undefined {
    const module = kernelModule();
    // No columns: nothing to sum (the kernels' loops take at least one cell a row).
    if (!wasm || !module || !d.rowSlots || d.cols === 0) return undefined;
    const histBytes = d.histSize * 16;
    const count = Math.max(2, Math.min(hists, Math.floor(MAX_HIST_BYTES / histBytes)));
    let top = 0;
    const place = (bytes: number) => [top, (top = align(top + bytes))][0]!;
    const at = {
      slots: place(d.rowSlots.byteLength),
      bins: place(d.bins.byteLength),
      scratch: place(d.rows * 4),
      order: place(d.rows * 4),
      grad: place(d.rows * 8),
      features: place(d.cols * 4),
      out: place(16),
    };
    const end = top + count * histBytes;
    let memory: WasmMemory;
    try {
      memory = new wasm.Memory({ initial: Math.ceil(end / 65_536) });
    } catch {
      return undefined; // beyond what this process may reserve: the JavaScript loop needs no extra copy
    }
    const instance = new wasm.Instance(module, { env: { memory } });
    const buffer = memory.buffer;
    const arrays: Arrays = {
      slots: new Uint16Array(buffer, at.slots, d.rowSlots.length),
      bins: new Uint8Array(buffer, at.bins, d.bins.length),
      scratch: new Uint32Array(buffer, at.scratch, d.rows),
      order: new Uint32Array(buffer, at.order, d.rows),
      grad: new Float64Array(buffer, at.grad, d.rows),
      features: new Int32Array(buffer, at.features, d.cols),
      out: new Int32Array(buffer, at.out, 4),
      sums: new Float64Array(buffer, at.out, 2),
    };
    arrays.slots.set(d.rowSlots);
    arrays.bins.set(d.bins);
    return new HistWorkspace(memory, instance.exports as unknown as Kernels, histBytes, end, arrays, d.rows, d.cols);
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
    const at = [this.a.slots.byteOffset, order.byteOffset, grad.byteOffset, hist.byteOffset, start, end, this.cols] as const;
    if (features === undefined || features.length === this.cols) this.kernels.hist(...at);
    else if (features.length > 0) {
      this.a.features.set(features);
      this.kernels.histSome(...at, this.a.features.byteOffset, features.length);
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

  /**
   * The scan of one feature's bins (`off` its first, in doubles) for a split better than `best`: its gain, bin and
   * side when there is one, else undefined; the same as the JavaScript scan. `hist` must be in this memory.
   */
  bestBin(hist: Float64Array, off: number, valueBins: number, s: ScanParams, best: number): { gain: number; bin: number; missingLeft: boolean } | undefined {
    const [mg, mn] = [hist[off + valueBins * 2]!, hist[off + valueBins * 2 + 1]!];
    const at = hist.byteOffset + off * 8;
    const gain = this.kernels.bestBin(at, valueBins, mg, mn, s.total, s.count, s.lambda, s.minN, s.parent, best, this.a.out.byteOffset);
    return gain > best ? { gain, bin: this.a.out[0]!, missingLeft: this.a.out[1] === 1 } : undefined;
  }

  /**
   * Splits order[start, end) on `split` as grow.ts's partition does (left rows first, both sides in order), summing
   * each side's gradients; undefined (nothing done) unless `order` and `grad` are this workspace's.
   */
  partition(
    split: { feature: number; bin: number; missingLeft: boolean },
    missingBin: number,
    order: Uint32Array,
    grad: Float64Array,
    start: number,
    end: number,
  ) {
    if (order !== this.order || grad !== this.grad) return undefined;
    const { bins, scratch, out, sums } = this.a;
    const column = bins.byteOffset + split.feature * this.rows;
    const l = this.kernels.partition(
      column,
      order.byteOffset,
      start,
      end,
      scratch.byteOffset,
      missingBin,
      split.missingLeft ? 1 : 0,
      split.bin,
      grad.byteOffset,
      out.byteOffset,
    );
    order.set(scratch.subarray(0, end - l), l);
    return { l, gl: sums[0]!, gr: sums[1]! };
  }

  /** Whether `hist` lives in this memory (the kernels can read it). */
  holds(hist: Float64Array): boolean {
    return hist.buffer === this.memory.buffer;
  }
}

/** Histograms a workspace holds at most (their number is the open leaves of a tree, at most maxLeaves + 1). */
const MAX_HIST_BYTES = 64 * 1024 * 1024;
const align = (n: number) => Math.ceil(n / 16) * 16;
