import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../../../src/sandbox/asl/intrinsics.js';

const roots = {
  input: { name: 'Ada', list: [1, 2, 2, 3], json: '{"a":1}', text: 'a,b;;c', n: 4 },
  context: { Execution: { Name: 'run-1' } },
};
const run = (text: string): unknown => evaluateIntrinsic(text, roots);

describe('intrinsic functions', () => {
  it('formats strings with placeholders and escapes', () => {
    expect(run("States.Format('Hello, {}! Run {}, n={}', $.name, $$.Execution.Name, $.n)")).toBe(
      'Hello, Ada! Run run-1, n=4',
    );
    expect(run("States.Format('literal \\{\\} and {}', 'it\\'s')")).toBe("literal {} and it's");
  });

  it('converts between JSON and strings', () => {
    expect(run('States.StringToJson($.json)')).toEqual({ a: 1 });
    expect(run('States.JsonToString($.list)')).toBe('[1,2,2,3]');
  });

  it('builds and inspects arrays', () => {
    expect(run("States.Array('a', 1, true, null, $.n)")).toEqual(['a', 1, true, null, 4]);
    expect(run('States.ArrayPartition($.list, 3)')).toEqual([[1, 2, 2], [3]]);
    expect(run('States.ArrayContains($.list, 3)')).toBe(true);
    expect(run('States.ArrayContains($.list, 7)')).toBe(false);
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayGetItem($.list, 3)')).toBe(3);
    expect(run('States.ArrayLength($.list)')).toBe(4);
    expect(run('States.ArrayUnique($.list)')).toEqual([1, 2, 3]);
  });

  it('encodes, hashes, merges, adds, splits', () => {
    expect(run("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(run("States.Hash('input data', 'SHA-1')")).toBe(
      'aaff4a450a104cd177d28d18d74485e8cae074b7',
    );
    expect(
      evaluateIntrinsic('States.JsonMerge($.a, $.b, false)', {
        input: { a: { x: 1, y: 1 }, b: { y: 2 } },
      }),
    ).toEqual({ x: 1, y: 2 });
    expect(run('States.MathAdd($.n, -1)')).toBe(3);
    expect(run("States.StringSplit($.text, ',;')")).toEqual(['a', 'b', 'c']);
    expect(run('States.ArrayLength(States.Array(1, 2))')).toBe(2);
  });

  it('draws random integers and UUIDs in range and shape', () => {
    const r = run('States.MathRandom(1, 10)') as number;
    expect(Number.isInteger(r) && r >= 1 && r < 10).toBe(true);
    expect(run('States.UUID()')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('fails when an argument has the wrong type', () => {
    expect(() => run("States.ArrayLength('x')")).toThrow(
      'States.ArrayLength: the first argument must be an array, got "x"',
    );
  });

  it('fails when the placeholders and arguments differ in number', () => {
    expect(() => run("States.Format('{} {}', 'a')")).toThrow(
      'States.Format: the template has more {} than arguments',
    );
  });

  it('fails when the function is unknown', () => {
    expect(() => run('States.Nope(1)')).toThrow('Unknown intrinsic function States.Nope');
  });
});
