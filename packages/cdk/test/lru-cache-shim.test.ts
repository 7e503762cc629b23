import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import LRUCache from '../scripts/shims/lru-cache.mjs';

/** The five methods @aws-sdk/endpoint-cache calls, plus size. */
interface Cache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  peek(key: string): unknown;
  clear(): void;
  readonly size: number;
}

const Mnemonist = createRequire(import.meta.url)('mnemonist/lru-cache') as new (
  capacity: number,
) => Cache;

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('the bundles’ LRU cache (stand-in for mnemonist/lru-cache)', () => {
  it.each([1, 3, 8])(
    'answers as mnemonist does over random operations, capacity %i',
    (capacity) => {
      const next = random(capacity);
      const ours = new LRUCache(capacity) as Cache;
      const theirs = new Mnemonist(capacity);
      for (let step = 0; step < 5000; step++) {
        const key = `k${Math.floor(next() * (capacity * 2 + 1))}`;
        // get, set, has, peek, size, or (rarely) clear
        const roll = next();
        const op = roll < 0.002 ? 5 : Math.floor(roll * 5);
        const answer = (cache: Cache) => {
          switch (op) {
            case 0:
              return cache.get(key);
            case 1:
              return cache.set(key, step);
            case 2:
              return cache.has(key);
            case 3:
              return cache.peek(key);
            case 4:
              return cache.size;
            default:
              return cache.clear();
          }
        };
        expect([step, op, key, answer(ours), ours.size]).toEqual([
          step,
          op,
          key,
          answer(theirs),
          theirs.size,
        ]);
      }
    },
  );

  it('evicts the least recently used entry, and peek does not count as a use', () => {
    const cache = new LRUCache(2) as Cache;
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.peek('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
    expect(cache.get('b')).toBe(2);
    cache.set('d', 4);
    expect([cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([true, false, true]);
  });

  it('refuses a capacity that is not positive, as mnemonist does', () => {
    expect(() => new LRUCache(0)).toThrow('LRUCache: capacity should be a positive number.');
  });
});
