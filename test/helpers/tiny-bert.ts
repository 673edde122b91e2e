// Writes a tiny BERT-shaped model (ONNX graph, tokenizer.json, configs) so the transformers.js path runs for real, offline.
//
// The graph takes input_ids and attention_mask and returns last_hidden_state [batch, seq, HIDDEN]:
// a token-embedding lookup masked by the attention mask — the inputs and output of a BERT encoder,
// with none of its layers. The ONNX protobuf is written by hand (a few message types suffice).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HIDDEN = 8;
const WORDS = ['pm', '##2', '.', '5', 'air', 'quality', 'run', 'running', 'wind', 'rain', 'winter', 'health', 'advice', 'forecast', 'the', 'is', 'a', 'for'];
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const VOCAB = [...SPECIAL, ...WORDS];

// ---- a minimal protobuf writer ----
type Field = Buffer;
const varint = (n: number | bigint): Buffer => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number | bigint): Field => Buffer.concat([key(field, 0), varint(n)]);
const bytes = (field: number, b: Buffer): Field => Buffer.concat([key(field, 2), varint(b.length), b]);
const str = (field: number, s: string): Field => bytes(field, Buffer.from(s, 'utf8'));
const msg = (field: number, ...parts: Field[]): Field => bytes(field, Buffer.concat(parts));

const FLOAT = 1;
const INT64 = 7;

function valueInfo(field: number, name: string, elemType: number, dims: (number | string)[]): Field {
  const shape = dims.map((d) => msg(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  return msg(field, str(1, name), msg(2, msg(1, int(1, elemType), msg(2, ...shape))));
}

function node(op: string, inputs: string[], outputs: string[], attributes: Field[] = []): Field {
  return msg(1, ...inputs.map((i) => str(1, i)), ...outputs.map((o) => str(2, o)), str(3, `${op}_${outputs[0]}`), str(4, op), ...attributes);
}

function tensor(name: string, dataType: number, dims: number[], raw: Buffer): Field {
  return msg(5, ...dims.map((d) => int(1, d)), int(2, dataType), str(8, name), bytes(9, raw));
}

function onnxModel(): Buffer {
  const emb = Buffer.alloc(VOCAB.length * HIDDEN * 4);
  for (let i = 0; i < VOCAB.length; i++) for (let j = 0; j < HIDDEN; j++) emb.writeFloatLE(Math.sin(i * 7.1 + j * 3.3), (i * HIDDEN + j) * 4);
  const axes = Buffer.alloc(8);
  axes.writeBigInt64LE(2n);
  const graph = msg(
    7,
    node('Gather', ['embeddings', 'input_ids'], ['hidden']),
    node('Cast', ['attention_mask'], ['mask_f'], [msg(5, str(1, 'to'), int(20, 2), int(3, FLOAT))]),
    node('Unsqueeze', ['mask_f', 'axes'], ['mask_3d']),
    node('Mul', ['hidden', 'mask_3d'], ['last_hidden_state']),
    str(2, 'tiny_bert'),
    tensor('embeddings', FLOAT, [VOCAB.length, HIDDEN], emb),
    tensor('axes', INT64, [1], axes),
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(11, 'attention_mask', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', HIDDEN]),
  );
  return Buffer.concat([int(1, 8), str(2, 'airq-test'), graph, msg(8, str(1, ''), int(2, 13))]);
}

function tokenizerJson(): object {
  const special = (content: string) => ({
    id: VOCAB.indexOf(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const tok = (t: string) => ({ id: t, ids: [VOCAB.indexOf(t)], tokens: [t] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': tok('[CLS]'), '[SEP]': tok('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])),
    },
  };
}

/** Writes the model under `<root>/<modelId>/` and returns root (for localModelPath). */
export function writeTinyBert(root: string, modelId = 'airq-test/tiny-bert'): string {
  const dir = join(root, modelId);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel());
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      mask_token: '[MASK]',
    }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: HIDDEN, vocab_size: VOCAB.length, max_position_embeddings: 512 }),
  );
  return root;
}
