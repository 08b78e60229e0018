import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * Tiny BERT-shaped models written as real ONNX files, laid out the way transformers.js expects a Hugging Face
 * model folder (`config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model.onnx`), so tests run the
 * true loading, tokenising and inference path without downloading anything.
 *
 * The encoder is deliberately simple so a test can compute the expected output by hand:
 *   last_hidden_state[b, t] = wordEmbeddings[input_ids[b, t]] + typeEmbeddings[token_type_ids[b, t]]
 * Padding positions ([PAD], id 0) have a non-zero embedding, so pooling that ignores the attention mask gives a
 * visibly wrong answer. The classifier adds a head over the attention-masked mean of those states:
 *   logits[b] = mean_{t: mask=1}(last_hidden_state[b, t]) · W + bias      (W: hidden × labels)
 */

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const WORDS = [
  'the',
  'a',
  'dog',
  'cat',
  'puppy',
  'kitten',
  'car',
  'engine',
  'repair',
  'adopt',
  'child',
  'likes',
  'my',
  'is',
  'red',
  'blue',
  'big',
  'small',
  'play',
  'query',
  'passage',
  ':',
  '.',
  ',',
  '?',
  '##s',
  '##ing',
];

/** Token → id: the special tokens first, then the words, in order. */
export const TINY_VOCAB: ReadonlyMap<string, number> = new Map(
  [...SPECIAL_TOKENS, ...WORDS].map((token, id) => [token, id] as [string, number]),
);

export interface TinyBertOptions {
  /** Hidden size. Default 6. */
  hidden?: number;
  /** Build a BertForSequenceClassification with this many labels instead of a plain encoder. */
  classifierLabels?: number;
  /** `tokenizer_config.json` model_max_length. Default 512. */
  modelMaxLength?: number;
  /** Where to write; default a new temp dir. */
  dir?: string;
  /** File name under `onnx/` (e.g. `model_quantized.onnx` to mimic a q8-only export). Default `model.onnx`. */
  onnxFile?: string;
}

export interface TinyBert {
  dir: string;
  hidden: number;
  vocab: ReadonlyMap<string, number>;
  /** wordEmbeddings[id] is a row of length `hidden`. */
  wordEmbeddings: number[][];
  typeEmbeddings: number[][];
  /** Classifier only: weights[h][label] and bias[label]. */
  classifier?: { weights: number[][]; bias: number[] };
}

/** Small exact-in-float32 values (multiples of 1/8) so expected sums do not depend on rounding order. */
function table(rows: number, cols: number, salt: number): number[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => (((r * 7 + c * 3 + salt) % 17) - 8) / 8),
  );
}

function floatTensor(name: string, rows: number[][]): onnxProto.onnx.ITensorProto {
  return {
    name,
    dataType: onnx.TensorProto.DataType.FLOAT,
    dims: [rows.length, rows[0].length],
    floatData: rows.flat(),
  };
}

function int64Tensor(name: string, values: number[]): onnxProto.onnx.ITensorProto {
  return { name, dataType: onnx.TensorProto.DataType.INT64, dims: [values.length], int64Data: values };
}

function valueInfo(
  name: string,
  elemType: number,
  shape: (string | number)[],
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: onnxProto.onnx.IAttributeProto[] = [],
) {
  return { opType, input, output, attribute, name: output[0] };
}

function buildModel(model: TinyBert, labels: number | undefined): Uint8Array {
  const { INT64, FLOAT } = onnx.TensorProto.DataType;
  const axis0 = { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 };
  const nodes: onnxProto.onnx.INodeProto[] = [
    node('Gather', ['word_embeddings', 'input_ids'], ['words'], [axis0]),
    node('Gather', ['type_embeddings', 'token_type_ids'], ['types'], [axis0]),
    node('Add', ['words', 'types'], ['last_hidden_state']),
  ];
  const initializer = [
    floatTensor('word_embeddings', model.wordEmbeddings),
    floatTensor('type_embeddings', model.typeEmbeddings),
  ];
  const outputs = [valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', model.hidden])];
  if (labels !== undefined && model.classifier) {
    nodes.push(
      node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: 2, i: FLOAT }]),
      node('Unsqueeze', ['mask_float', 'axis_2'], ['mask_3d']),
      node('Mul', ['last_hidden_state', 'mask_3d'], ['masked']),
      node('ReduceSum', ['masked', 'axis_1'], ['summed'], [{ name: 'keepdims', type: 2, i: 0 }]),
      node('ReduceSum', ['mask_float', 'axis_1'], ['count'], [{ name: 'keepdims', type: 2, i: 1 }]),
      node('Div', ['summed', 'count'], ['pooled']),
      node('MatMul', ['pooled', 'classifier_weights'], ['scores']),
      node('Add', ['scores', 'classifier_bias'], ['logits']),
    );
    initializer.push(
      int64Tensor('axis_1', [1]),
      int64Tensor('axis_2', [2]),
      floatTensor('classifier_weights', model.classifier.weights),
      {
        name: 'classifier_bias',
        dataType: FLOAT,
        dims: [labels],
        floatData: model.classifier.bias,
      },
    );
    outputs.splice(0, 1, valueInfo('logits', FLOAT, ['batch', labels]));
  }
  const graph: onnxProto.onnx.IGraphProto = {
    name: labels === undefined ? 'tiny-bert' : 'tiny-bert-classifier',
    node: nodes,
    initializer,
    input: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) =>
      valueInfo(name, INT64, ['batch', 'sequence']),
    ),
    output: outputs,
  };
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'engram-tests',
    graph,
  }).finish();
}

/** A WordPiece `tokenizer.json` in the Hugging Face tokenizers format, as a BERT uncased model ships it. */
function tokenizerJson(): unknown {
  const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: TINY_VOCAB.get(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [
        special('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        special('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((token) => [
          token,
          { id: token, ids: [TINY_VOCAB.get(token)], tokens: [token] },
        ]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB),
    },
  };
}

/** Writes a tiny BERT model folder and returns its weights for reference computations. */
export function writeTinyBert(options: TinyBertOptions = {}): TinyBert {
  const hidden = options.hidden ?? 6;
  const labels = options.classifierLabels;
  const dir =
    options.dir ?? mkdtempSync(join(tmpdir(), labels === undefined ? 'tiny-bert-' : 'tiny-bert-cls-'));
  const model: TinyBert = {
    dir,
    hidden,
    vocab: TINY_VOCAB,
    wordEmbeddings: table(TINY_VOCAB.size, hidden, 1),
    typeEmbeddings: table(2, hidden, 5).map((row) => row.map((x) => x / 4)),
  };
  if (labels !== undefined) {
    model.classifier = {
      weights: table(hidden, labels, 3),
      bias: Array.from({ length: labels }, (_, i) => (i + 1) / 4),
    };
  }
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', options.onnxFile ?? 'model.onnx'), buildModel(model, labels));
  const config: Record<string, unknown> = {
    model_type: 'bert',
    architectures: [labels === undefined ? 'BertModel' : 'BertForSequenceClassification'],
    hidden_size: hidden,
    vocab_size: TINY_VOCAB.size,
    type_vocab_size: 2,
    num_attention_heads: 1,
    num_hidden_layers: 1,
    intermediate_size: hidden,
    max_position_embeddings: 512,
    pad_token_id: 0,
  };
  if (labels !== undefined) {
    config.id2label = Object.fromEntries(Array.from({ length: labels }, (_, i) => [String(i), `LABEL_${i}`]));
    config.label2id = Object.fromEntries(Array.from({ length: labels }, (_, i) => [`LABEL_${i}`, i]));
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(), null, 2));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify(
      {
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        model_max_length: options.modelMaxLength ?? 512,
        cls_token: '[CLS]',
        sep_token: '[SEP]',
        pad_token: '[PAD]',
        unk_token: '[UNK]',
        mask_token: '[MASK]',
      },
      null,
      2,
    ),
  );
  return model;
}

/**
 * The reference tokenizer for the tiny vocabulary: lower-case, split off punctuation, WordPiece "##s"/"##ing"
 * suffixes, unknown words to [UNK]. Returns ids without [CLS]/[SEP].
 */
export function tinyTokenIds(text: string): number[] {
  const ids: number[] = [];
  for (const word of text.toLowerCase().match(/[a-z]+|[^\sa-z]/g) ?? []) {
    const whole = TINY_VOCAB.get(word);
    if (whole !== undefined) {
      ids.push(whole);
      continue;
    }
    const suffix = ['ing', 's'].find((s) => word.endsWith(s) && TINY_VOCAB.has(word.slice(0, -s.length)));
    if (suffix)
      ids.push(TINY_VOCAB.get(word.slice(0, -suffix.length)) ?? 1, TINY_VOCAB.get(`##${suffix}`) ?? 1);
    else ids.push(TINY_VOCAB.get('[UNK]') ?? 1);
  }
  return ids;
}
