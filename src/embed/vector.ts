/** Small dense-vector helpers shared by the embedders. */

/** Below this norm a vector carries no direction worth keeping (rounding noise): it becomes all zeros. */
export const ZERO_NORM = 1e-9;

/**
 * Scales `v` to unit length in place and returns it. A vector with no direction (all zeros, or nearly) is set
 * to exactly all zeros instead of NaNs, so its cosine with anything is 0.
 */
export function normalizeInPlace(v: Float32Array | Float64Array): typeof v {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (!(norm > ZERO_NORM)) {
    v.fill(0);
    return v;
  }
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function norm(v: ArrayLike<number>): number {
  return Math.sqrt(dot(v, v));
}
