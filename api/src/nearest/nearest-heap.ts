import type { Neighbour } from './moving-grid.ts';

/**
 * The k best candidates of one query, kept sorted in reused typed arrays: k is a dispatcher's list (tens),
 * so insertion into a sorted array beats a binary heap, and reusing the arrays keeps queries from feeding
 * the garbage collector. Distances are squared until `neighbours` hands the answer out.
 */
export class NearestHeap {
  #ids = new Float64Array(16);
  #distSq = new Float64Array(16);
  #k = 0;
  #length = 0;
  #limitSq = Infinity;
  /** The squared distance a candidate must not exceed: the limit, or the k-th best once there are k. */
  worstSq = Infinity;

  reset(k: number, limitSq: number): void {
    if (k > this.#ids.length) {
      this.#ids = new Float64Array(k);
      this.#distSq = new Float64Array(k);
    }
    this.#k = k;
    this.#length = 0;
    this.#limitSq = limitSq;
    this.worstSq = limitSq;
  }

  /** Whether a candidate this far would enter the list (ties with a full list's last stay out). */
  admits(dSq: number): boolean {
    return this.#length < this.#k ? dSq <= this.worstSq : dSq < this.worstSq;
  }

  /** Inserts a candidate that `admits` let through, dropping the last one when the list is full. */
  push(id: number, dSq: number): void {
    const ids = this.#ids;
    const distSq = this.#distSq;
    let i = this.#length < this.#k ? this.#length++ : this.#k - 1;
    while (i > 0 && distSq[i - 1]! > dSq) {
      ids[i] = ids[i - 1]!;
      distSq[i] = distSq[i - 1]!;
      i--;
    }
    ids[i] = id;
    distSq[i] = dSq;
    if (this.#length === this.#k) this.worstSq = Math.min(this.#limitSq, distSq[this.#k - 1]!);
  }

  neighbours(): Neighbour[] {
    const answer: Neighbour[] = new Array(this.#length);
    for (let i = 0; i < this.#length; i++) answer[i] = { id: this.#ids[i]!, approxMeters: Math.sqrt(this.#distSq[i]!) };
    return answer;
  }
}
