import { describe, expect, it } from 'vitest';
import { queryPath, readPath, writePath } from '../../../src/sandbox/asl/json-path.js';

const store = {
  book: [
    { category: 'reference', title: 'Sayings', price: 8.95 },
    { category: 'fiction', title: 'Sword', price: 12.99, isbn: '0-553' },
    { category: 'fiction', title: 'Moby', price: 8.99, isbn: '0-395' },
  ],
  'odd key': { v: 1 },
};

describe('JSONPath', () => {
  it('reads definite paths with dots, quoted names and indexes', () => {
    expect(readPath('$.book[1].title', { input: store })).toBe('Sword');
    expect(readPath("$['odd key'].v", { input: store })).toBe(1);
    expect(readPath('$.book[-1].title', { input: store })).toBe('Moby');
    expect(readPath('$', { input: 5 })).toBe(5);
  });

  it('returns lists for wildcards, slices, unions, descendants and filters', () => {
    expect(readPath('$.book[*].price', { input: store })).toEqual([8.95, 12.99, 8.99]);
    expect(readPath('$.book[0:2].title', { input: store })).toEqual(['Sayings', 'Sword']);
    expect(readPath('$.book[0,2].title', { input: store })).toEqual(['Sayings', 'Moby']);
    expect(readPath('$..isbn', { input: store })).toEqual(['0-553', '0-395']);
    expect(readPath('$.book[?(@.price < 10)].title', { input: store })).toEqual([
      'Sayings',
      'Moby',
    ]);
    expect(
      readPath("$.book[?(@.category == 'fiction' && @.price > 10)].title", { input: store }),
    ).toEqual(['Sword']);
    expect(readPath('$.book[?(@.isbn)].title', { input: store })).toEqual(['Sword', 'Moby']);
  });

  it('reads the context object and variables', () => {
    expect(
      readPath('$$.Execution.Name', { input: {}, context: { Execution: { Name: 'x' } } }),
    ).toBe('x');
    expect(readPath('$total.n', { input: {}, variables: new Map([['total', { n: 3 }]]) })).toBe(3);
  });

  it('reports a missing definite path as not found', () => {
    expect(queryPath('$.nope', { input: store })).toEqual({ found: false, value: undefined });
  });

  it('fails when a path does not start with $', () => {
    expect(() => readPath('book', { input: store })).toThrow(
      "Invalid path 'book': a path starts with '$'",
    );
  });

  it('fails with States.Runtime when a path is not a string (InputPath: 5, Variable: 5)', () => {
    // It used to throw a TypeError, which a States.ALL catcher then caught as "TypeError".
    expect(() => readPath(5 as unknown as string, { input: store })).toThrow(
      expect.objectContaining({
        name: 'States.Runtime',
        message: 'States.Runtime: Invalid path 5: a path must be a string starting with $',
      }),
    );
  });

  it('fails when a path names an undefined variable', () => {
    expect(() => readPath('$missing', { input: {}, variables: new Map() })).toThrow(
      "The variable 'missing' is not defined",
    );
  });

  it('writes a reference path into a copy, creating objects', () => {
    const input = { a: { b: 1 } };
    expect(writePath(input, '$.a.c.d', 2)).toEqual({
      ok: true,
      value: { a: { b: 1, c: { d: 2 } } },
    });
    expect(input).toEqual({ a: { b: 1 } });
    expect(writePath('text', '$.x', 1)).toEqual({ ok: false });
    expect(writePath({ a: [1, 2] }, '$.a[1]', 9)).toEqual({ ok: true, value: { a: [1, 9] } });
  });
});
