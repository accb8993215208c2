/**
 * Sets of small integers (the atoms of one request dimension, see lint-space.ts) as bit words.
 * A set stores only the words between its lowest and highest member, so the one-literal sets
 * most rules have cost one word whatever the number of atoms; `full` sets short-cut the tests.
 */

/** An immutable set of atom indices in [0, atomCount). */
export class AtomSet {
  private constructor(
    /** Bits of atoms [32·offset, 32·(offset + words.length)). */
    readonly words: Uint32Array,
    /** Index of the first stored word. */
    readonly offset: number,
    /** Number of members. */
    readonly size: number,
    /** Number of atoms of the dimension. */
    readonly atomCount: number,
  ) {}

  /** True when every atom of the dimension is a member. */
  get full(): boolean {
    return this.size === this.atomCount;
  }

  /** The set of the given atoms (duplicates allowed). */
  static of(atomCount: number, atoms: Iterable<number>): AtomSet {
    const list = [...atoms];
    if (list.length === 0) return AtomSet.empty(atomCount);
    let low = Infinity;
    let high = -Infinity;
    for (const atom of list) {
      if (atom < low) low = atom;
      if (atom > high) high = atom;
    }
    const offset = low >>> 5;
    const words = new Uint32Array((high >>> 5) - offset + 1);
    for (const atom of list) words[(atom >>> 5) - offset]! |= 1 << (atom & 31);
    return AtomSet.fromWords(atomCount, words, offset);
  }

  /** Every atom of the dimension. */
  static all(atomCount: number): AtomSet {
    return AtomSet.of(atomCount, Array.from({ length: atomCount }, (_, index) => index));
  }

  /** The set with no member. */
  static empty(atomCount: number): AtomSet {
    return new AtomSet(new Uint32Array(0), 0, 0, atomCount);
  }

  /** The atoms for which `test` holds. */
  static where(atomCount: number, test: (atom: number) => boolean): AtomSet {
    const atoms: number[] = [];
    for (let atom = 0; atom < atomCount; atom++) if (test(atom)) atoms.push(atom);
    return AtomSet.of(atomCount, atoms);
  }

  /** The set whose bits are `words`, the first of them being word `offset`; `words` must not be changed afterwards. */
  static fromWords(atomCount: number, words: Uint32Array, offset = 0): AtomSet {
    let start = 0;
    let end = words.length;
    while (start < end && words[start] === 0) start++;
    while (end > start && words[end - 1] === 0) end--;
    if (start === end) return AtomSet.empty(atomCount);
    const kept = start === 0 && end === words.length ? words : words.slice(start, end);
    let size = 0;
    for (const word of kept) size += bitCount(word);
    return new AtomSet(kept, offset + start, size, atomCount);
  }

  /** The word at absolute index `index` (0 outside the stored range). */
  private word(index: number): number {
    const at = index - this.offset;
    return at >= 0 && at < this.words.length ? (this.words[at] as number) : 0;
  }

  /** Whether `atom` is a member. */
  has(atom: number): boolean {
    return ((this.word(atom >>> 5) >>> (atom & 31)) & 1) === 1;
  }

  /** Whether the two sets share a member. */
  intersects(other: AtomSet): boolean {
    if (this.size === 0 || other.size === 0) return false;
    if (this.full || other.full) return true;
    const start = Math.max(this.offset, other.offset);
    const end = Math.min(this.offset + this.words.length, other.offset + other.words.length);
    for (let index = start; index < end; index++) {
      if (((this.words[index - this.offset] as number) & (other.words[index - other.offset] as number)) !== 0) return true;
    }
    return false;
  }

  /** Whether every member of `other` is a member of this set. */
  contains(other: AtomSet): boolean {
    if (other.size === 0 || this.full) return true;
    if (other.size > this.size) return false;
    for (let at = 0; at < other.words.length; at++) {
      const bits = other.words[at] as number;
      if (bits !== 0 && (bits & ~this.word(at + other.offset)) !== 0) return false;
    }
    return true;
  }

  /** The members of both sets. */
  and(other: AtomSet): AtomSet {
    if (this.full) return other;
    if (other.full) return this;
    const start = Math.max(this.offset, other.offset);
    const end = Math.min(this.offset + this.words.length, other.offset + other.words.length);
    if (end <= start) return AtomSet.empty(this.atomCount);
    const words = new Uint32Array(end - start);
    for (let index = start; index < end; index++) words[index - start] = this.word(index) & other.word(index);
    return AtomSet.fromWords(this.atomCount, words, start);
  }

  /** The members of this set that are not members of `other`. */
  minus(other: AtomSet): AtomSet {
    if (other.size === 0) return this;
    const words = new Uint32Array(this.words.length);
    for (let at = 0; at < words.length; at++) words[at] = (this.words[at] as number) & ~other.word(at + this.offset);
    return AtomSet.fromWords(this.atomCount, words, this.offset);
  }

  /** The smallest member, or -1 for the empty set. */
  first(): number {
    for (let at = 0; at < this.words.length; at++) {
      const bits = this.words[at] as number;
      if (bits !== 0) return (at + this.offset) * 32 + (31 - Math.clz32(bits & -bits));
    }
    return -1;
  }

  /** Calls `visit` for every member in increasing order. */
  forEach(visit: (atom: number) => void): void {
    for (let at = 0; at < this.words.length; at++) {
      let bits = this.words[at] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        visit((at + this.offset) * 32 + (31 - Math.clz32(low)));
        bits ^= low;
      }
    }
  }
}

/** Calls `visit` for every atom of the dimension that is not a member of `set`, in increasing order. */
export function forEachMissing(set: AtomSet, visit: (atom: number) => void): void {
  const wordCount = (set.atomCount + 31) >>> 5;
  for (let index = 0; index < wordCount; index++) {
    const at = index - set.offset;
    let bits = ~(at >= 0 && at < set.words.length ? (set.words[at] as number) : 0);
    if (index === wordCount - 1 && (set.atomCount & 31) !== 0) bits &= (1 << (set.atomCount & 31)) - 1;
    while (bits !== 0) {
      const low = bits & -bits;
      visit(index * 32 + (31 - Math.clz32(low)));
      bits ^= low;
    }
  }
}

/** A union of atom sets of one dimension, built in place. */
export class AtomUnion {
  private readonly words: Uint32Array;
  /** An empty union over a dimension of `atomCount` atoms. */
  constructor(private readonly atomCount: number) {
    this.words = new Uint32Array((atomCount + 31) >>> 5);
  }

  /** Adds the members of `set`. */
  add(set: AtomSet): void {
    for (let at = 0; at < set.words.length; at++) this.words[at + set.offset]! |= set.words[at] as number;
  }

  /** The union so far, as an atom set. */
  toSet(): AtomSet {
    return AtomSet.fromWords(this.atomCount, this.words.slice());
  }
}

function bitCount(word: number): number {
  let bits = word - ((word >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
