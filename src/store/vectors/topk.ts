/** Keeps the k best (index, score) pairs seen, with a binary min-heap: O(n log k) instead of sorting all n. */
export class TopK {
  private readonly idx: number[] = [];
  private readonly val: number[] = [];
  constructor(private readonly k: number) {}

  push(index: number, score: number): void {
    if (this.k <= 0) return;
    if (this.val.length < this.k) {
      this.idx.push(index);
      this.val.push(score);
      this.up(this.val.length - 1);
    } else if (score > this.val[0]!) {
      this.idx[0] = index;
      this.val[0] = score;
      this.down(0);
    }
  }

  /** Best first. */
  result(): { index: number; score: number }[] {
    return this.idx.map((index, i) => ({ index, score: this.val[i]! })).sort((a, b) => b.score - a.score);
  }

  private swap(a: number, b: number): void {
    [this.idx[a], this.idx[b]] = [this.idx[b]!, this.idx[a]!];
    [this.val[a], this.val[b]] = [this.val[b]!, this.val[a]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.val[p]! <= this.val[i]!) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.val.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.val[l]! < this.val[m]!) m = l;
      if (r < n && this.val[r]! < this.val[m]!) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
}
