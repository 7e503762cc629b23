import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/escape.js';
import { describeChoiceRule } from '../../src/report/state-graph.js';
import { formatDuration } from '../../src/report/time.js';

describe('formatDuration', () => {
  it('picks a unit that reads well', () => {
    expect([0, 850, 1000, 1250, 12_340, 125_000, 3_720_000].map(formatDuration)).toEqual([
      '0 ms',
      '850 ms',
      '1 s',
      '1.25 s',
      '12.3 s',
      '2 min 05 s',
      '1 h 02 min',
    ]);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('describeChoiceRule', () => {
  it('renders comparisons, paths, presence tests, combinators and JSONata conditions on one line', () => {
    expect(
      [
        { Variable: '$.n', NumericGreaterThanEquals: 3, Next: 'x' },
        { Variable: '$.s', StringEqualsPath: '$.t', Next: 'x' },
        { Variable: '$.name', StringMatches: 'log-*', Next: 'x' },
        { Variable: '$.v', IsPresent: false, Next: 'x' },
        {
          And: [
            { Variable: '$.a', BooleanEquals: true },
            { Not: { Variable: '$.b', IsNull: true } },
          ],
          Next: 'x',
        },
        { Condition: '{% $states.input.n > 3 %}', Next: 'x' },
      ].map(describeChoiceRule),
    ).toEqual([
      '$.n >= 3',
      '$.s == $.t',
      '$.name matches "log-*"',
      '$.v is not Present',
      '($.a == true) && (!($.b is Null))',
      '{% $states.input.n > 3 %}',
    ]);
  });
});
