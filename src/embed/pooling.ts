/**
 * Sentence vectors from token vectors. `states` is a row-major [batch, sequence, hidden] tensor's data, `mask`
 * the attention mask (1 = real token, 0 = padding), row-major [batch, sequence].
 */
export type Pooling = 'mean' | 'cls';

export function poolTokens(
  pooling: Pooling,
  states: Float32Array,
  dims: readonly number[],
  mask: ArrayLike<number | bigint>,
): Float32Array[] {
  const [batch, sequence, hidden] = dims;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const vector = new Float32Array(hidden);
    if (pooling === 'cls') {
      vector.set(states.subarray(b * sequence * hidden, b * sequence * hidden + hidden));
    } else {
      // Mean over real tokens only: padding positions carry vectors too, and counting them would make a
      // text's embedding depend on the longest text in its batch.
      const sum = new Float64Array(hidden);
      let count = 0;
      for (let t = 0; t < sequence; t++) {
        if (Number(mask[b * sequence + t]) === 0) continue;
        count++;
        const offset = (b * sequence + t) * hidden;
        for (let h = 0; h < hidden; h++) sum[h] += states[offset + h];
      }
      for (let h = 0; h < hidden; h++) vector[h] = count > 0 ? sum[h] / count : 0;
    }
    out.push(vector);
  }
  return out;
}
