// Stands in for `mnemonist/lru-cache` in the handler bundles (see build.mjs).
//
// The DynamoDB client builds an endpoint-discovery cache (@aws-sdk/endpoint-cache) on an LRU
// cache, calling only its constructor, get, set, has, peek and clear. mnemonist's typed-array
// implementation and its iterator helper cost about 7 KB of every bundle that has the DynamoDB
// client; a Map keeps insertion order, which is all an LRU needs at the cache's size (1,000
// entries by default). Differentially tested against mnemonist in test/lru-cache-shim.test.ts.

export default class LRUCache {
  #capacity;
  #entries = new Map();

  constructor(capacity) {
    if (typeof capacity !== 'number' || !(capacity > 0)) {
      throw new Error('LRUCache: capacity should be a positive number.');
    }
    this.#capacity = Math.floor(capacity);
  }

  get size() {
    return this.#entries.size;
  }

  get capacity() {
    return this.#capacity;
  }

  has(key) {
    return this.#entries.has(key);
  }

  /** The value without making it the most recently used. */
  peek(key) {
    return this.#entries.get(key);
  }

  /** The value, now the most recently used. */
  get(key) {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key);
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Stores the value as the most recently used, evicting the least recently used when full. */
  set(key, value) {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      this.#entries.delete(this.#entries.keys().next().value);
    }
  }

  clear() {
    this.#entries.clear();
  }
}
