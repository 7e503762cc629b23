import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidReportInputError,
  renderReport,
  type HistoryEvent,
  type ReportInput,
} from '../../src/report/index.js';
import { etlDefinition, etlExecution } from './etl-execution.js';
import { count, graphOutcomes, section, tableRows } from './html-probe.js';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

describe('renderReport', () => {
  it('colours every state of the graph by its outcome, nested Parallel branches included', () => {
    const html = renderReport(etlExecution());

    expect(graphOutcomes(html)).toEqual({
      CreateTables: 'succeeded',
      LoadInParallel: 'succeeded',
      LoadOrders: 'succeeded',
      LoadCustomers: 'succeeded',
      DedupeCustomers: 'succeeded',
      HasRows: 'succeeded',
      NoData: 'notRun',
      Aggregate: 'caught',
      Publish: 'notRun',
      RecordFailure: 'succeeded',
      Done: 'succeeded',
    });
    const graph = section(html, 'graph');
    expect(count(graph, /<g class="scope">/g)).toBe(2);
    expect(count(graph, /class="scope-label"[^>]*>Branch \d</g)).toBe(2);
  });

  it('draws one edge per Next, Default, Choice and Catch, plus start and end, and marks those taken', () => {
    const graph = section(renderReport(etlExecution()), 'graph');

    expect(count(graph, /<path class="edge /g)).toBe(12);
    expect(count(graph, /class="edge edge-catch taken"/g)).toBe(1);
    expect(count(graph, /class="edge edge-choice taken"/g)).toBe(1);
    expect(count(graph, /class="edge edge-default"/g)).toBe(1);
    expect(count(graph, /<g class="edge-label/g)).toBe(3);
    expect(graph).toContain('>$.loads[0].rows &gt; 0</text>');
    expect(graph).toContain('>Catch Stepshift.StatementFailed</text>');
    expect(graph).toContain('>↻1</text>');
  });

  it('draws a timeline bar per state visit and per statement, with durations and rows', () => {
    const timeline = section(renderReport(etlExecution()), 'timeline');

    expect(count(timeline, /class="bar state-bar outcome-succeeded"/g)).toBe(8);
    expect(count(timeline, /class="bar state-bar outcome-caught"/g)).toBe(1);
    expect(count(timeline, /class="bar statement-bar sql-finished"/g)).toBe(5);
    expect(count(timeline, /class="bar statement-bar sql-failed"/g)).toBe(1);
    expect(timeline).toContain('>2.3 s · FINISHED · 1200 rows</text>');
    expect(timeline).toContain('>1.72 s · FAILED</text>');
    expect(timeline).toContain('>2.5 s</text>');
    const lanes = [
      ...timeline.matchAll(
        /<g class="lane (state|statement)-lane" data-(?:state|statement)="([^"]*)"/g,
      ),
    ].map((m) => `${m[1]}:${m[2]}`);
    expect(lanes).toEqual([
      'state:CreateTables',
      'statement:a1b2c3d4-0001',
      'state:LoadInParallel',
      'state:LoadOrders',
      'statement:a1b2c3d4-0002',
      'state:LoadCustomers',
      'statement:a1b2c3d4-0003',
      'state:DedupeCustomers',
      'statement:a1b2c3d4-0004',
      'state:HasRows',
      'state:Aggregate',
      'statement:a1b2c3d4-0005',
      'state:RecordFailure',
      'statement:a1b2c3d4-0006',
      'state:Done',
    ]);
  });

  it('shows the final status, output, statements and the event history with each event’s step', () => {
    const html = renderReport(etlExecution());

    expect(html).toContain('<span class="status status-SUCCEEDED">SUCCEEDED</span>');
    expect(section(html, 'result')).toContain(
      '<pre class="output">{\n  &quot;status&quot;: &quot;recorded&quot;\n}</pre>',
    );
    expect(section(html, 'result')).toContain(
      '<pre class="input">{\n  &quot;run&quot;: &quot;2026-12-04&quot;\n}</pre>',
    );
    const statements = tableRows(html, 'statements');
    expect(statements).toHaveLength(6);
    expect(statements[4]).toEqual([
      'a1b2c3d4-0005',
      'Aggregate',
      'FAILED',
      '+3.7 s',
      '1.72 s',
      '',
      'ERROR: division by zero',
      'INSERT INTO daily SELECT day, SUM(amount) / COUNT(*) - COUNT(*) FROM orders GROUP BY day',
    ]);
    const history = tableRows(html, 'history');
    expect(history).toHaveLength(50);
    expect(history.map((row) => row.slice(0, 4).join(' | ')).slice(32, 42)).toEqual([
      '33 | TaskScheduled | Aggregate | +3.14 s',
      '34 | TaskStarted | Aggregate | +3.14 s',
      '35 | TaskSubmitted | Aggregate | +3.17 s',
      '36 | TaskFailed | Aggregate | +3.43 s',
      '37 | TaskScheduled | Aggregate | +3.64 s',
      '38 | TaskStarted | Aggregate | +3.64 s',
      '39 | TaskSubmitted | Aggregate | +3.67 s',
      '40 | TaskFailed | Aggregate | +5.43 s',
      '41 | TaskStateExited | Aggregate | +5.63 s',
      '42 | TaskStateEntered | RecordFailure | +5.64 s',
    ]);
    expect(count(html, /<tr class="event failure"/g)).toBe(2);
  });

  it('keeps <script> in SQL, names, output and errors as text', () => {
    const evil = '<script>alert("x")</script>';
    const input = etlExecution();
    const html = renderReport({
      ...input,
      title: `etl ${evil}`,
      result: { status: 'FAILED', error: evil, cause: evil },
      statements: [
        {
          id: `id${evil}`,
          name: evil,
          stateName: evil,
          sql: `SELECT '${evil}'`,
          status: evil,
          startedAt: at(10),
          error: evil,
        },
      ],
      history: [
        ...input.history.slice(0, 2),
        {
          id: 3,
          previousEventId: 2,
          timestamp: at(20),
          type: 'TaskStateExited',
          stateExitedEventDetails: { name: 'CreateTables', output: JSON.stringify({ evil }) },
        },
      ],
    });

    expect(count(html, /<script/gi)).toBe(1);
    expect(html).not.toContain('alert("x")');
    expect(html).toContain('SELECT &#39;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;');
    expect(html).toContain(
      '<title>etl &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; · FAILED</title>',
    );
    expect(html).toContain('<span class="error result-error">&lt;script&gt;');
  });

  it('never lets markup through, whatever the strings (property)', () => {
    const hostile = fc
      .array(fc.constantFrom('<', '>', '"', "'", '&', 'script', 'img', ' ', '/', 'x', '\n'), {
        maxLength: 12,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const html = renderReport({
          title: a,
          definition: {
            StartAt: b || 'S',
            States: { [b || 'S']: { Type: 'Task', Resource: a, End: true } },
          },
          result: { status: 'FAILED', error: a, cause: b, output: { [a]: b } },
          history: [
            {
              id: 1,
              timestamp: at(0),
              type: 'ExecutionStarted',
              executionStartedEventDetails: { input: a },
            },
            {
              id: 2,
              previousEventId: 1,
              timestamp: at(1),
              type: 'TaskStateEntered',
              stateEnteredEventDetails: { name: b || 'S', input: b },
            },
            {
              id: 3,
              previousEventId: 2,
              timestamp: at(2),
              type: a || 'TaskFailed',
              taskFailedEventDetails: { error: a, cause: b },
            },
          ],
          statements: [
            { id: a, name: b, stateName: b || 'S', sql: a, status: b, startedAt: at(1), error: a },
          ],
        });
        expect(count(html, /<script/gi)).toBe(1);
        expect(count(html, /<\/script/gi)).toBe(1);
        expect(count(html, /<img/gi)).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('marks the failing branch state failed and its running sibling aborted when the execution fails', () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Breaks',
              States: {
                Breaks: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true },
              },
            },
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 60, End: true } } },
          ],
          End: true,
        },
      },
    };
    const failure = { error: 'Stepshift.StatementFailed', cause: 'relation "x" does not exist' };
    const input: ReportInput = {
      title: 'parallel failure',
      definition,
      result: { status: 'FAILED', ...failure },
      history: [
        { id: 1, previousEventId: 0, timestamp: at(0), type: 'ExecutionStarted' },
        {
          id: 2,
          previousEventId: 1,
          timestamp: at(1),
          type: 'ParallelStateEntered',
          stateEnteredEventDetails: { name: 'Both' },
        },
        { id: 3, previousEventId: 2, timestamp: at(2), type: 'ParallelStateStarted' },
        {
          id: 4,
          previousEventId: 3,
          timestamp: at(3),
          type: 'TaskStateEntered',
          stateEnteredEventDetails: { name: 'Breaks' },
        },
        {
          id: 5,
          previousEventId: 3,
          timestamp: at(3),
          type: 'WaitStateEntered',
          stateEnteredEventDetails: { name: 'Slow' },
        },
        { id: 6, previousEventId: 4, timestamp: at(5), type: 'TaskScheduled' },
        { id: 7, previousEventId: 6, timestamp: at(6), type: 'TaskStarted' },
        {
          id: 8,
          previousEventId: 7,
          timestamp: at(900),
          type: 'TaskFailed',
          taskFailedEventDetails: failure,
        },
        {
          id: 9,
          previousEventId: 8,
          timestamp: at(901),
          type: 'ParallelStateFailed',
          parallelStateFailedEventDetails: failure,
        },
        {
          id: 10,
          previousEventId: 9,
          timestamp: at(902),
          type: 'ExecutionFailed',
          executionFailedEventDetails: failure,
        },
      ],
    };

    const html = renderReport(input);

    expect(graphOutcomes(html)).toEqual({ Both: 'failed', Breaks: 'failed', Slow: 'aborted' });
    expect(html).toContain('<span class="error result-error">Stepshift.StatementFailed</span>');
    expect(tableRows(html, 'history').map((row) => row[2])).toEqual([
      '',
      'Both',
      'Both',
      'Breaks',
      'Slow',
      'Breaks',
      'Breaks',
      'Breaks',
      'Both',
      '',
    ]);
  });

  it('shows the states of an unfinished history as running and loops as visit counts', () => {
    const definition = {
      StartAt: 'Poll',
      States: {
        Poll: { Type: 'Wait', Seconds: 1, Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Items' }],
          Default: 'Poll',
        },
        Items: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
          Next: 'Stop',
        },
        Stop: { Type: 'Fail', Error: 'Stopped' },
      },
    };
    const events = [
      ['ExecutionStarted', ''],
      ['WaitStateEntered', 'Poll'],
      ['WaitStateExited', 'Poll'],
      ['ChoiceStateEntered', 'Check'],
      ['ChoiceStateExited', 'Check'],
      ['WaitStateEntered', 'Poll'],
      ['WaitStateExited', 'Poll'],
      ['ChoiceStateEntered', 'Check'],
      ['ChoiceStateExited', 'Check'],
      ['MapStateEntered', 'Items'],
      ['MapStateStarted', ''],
      ['PassStateEntered', 'Each'],
    ] as const;
    const input: ReportInput = {
      title: 'loop',
      definition,
      result: { status: 'ABORTED' },
      history: events.map(([type, name], i) => ({
        id: i + 1,
        previousEventId: i,
        timestamp: at(i * 100),
        type,
        ...(type.endsWith('Entered') ? { stateEnteredEventDetails: { name } } : {}),
        ...(type.endsWith('Exited') ? { stateExitedEventDetails: { name } } : {}),
      })),
    };

    const html = renderReport(input);

    expect(graphOutcomes(html)).toEqual({
      Poll: 'succeeded',
      Check: 'succeeded',
      Items: 'running',
      Each: 'running',
      Stop: 'notRun',
    });
    const graph = section(html, 'graph');
    expect(count(graph, /class="edge edge-default taken back"/g)).toBe(1);
    expect(count(graph, />×2</g)).toBe(2);
    expect(graph).toContain('>Item processor</text>');
    expect(graph).toContain('>$.done == true</text>');
    expect(section(html, 'timeline')).toContain('>200 ms (2 visits)</text>');
  });

  it('stacks overlapping Map iterations in lanes and packs many statements of one state into one row', () => {
    const definition = {
      StartAt: 'Days',
      States: {
        Days: {
          Type: 'Map',
          MaxConcurrency: 3,
          ItemProcessor: {
            StartAt: 'LoadDay',
            States: {
              LoadDay: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true },
            },
          },
          End: true,
        },
      },
    };
    const history: HistoryEvent[] = [
      { id: 1, previousEventId: 0, timestamp: at(0), type: 'ExecutionStarted' },
      {
        id: 2,
        previousEventId: 1,
        timestamp: at(1),
        type: 'MapStateEntered',
        stateEnteredEventDetails: { name: 'Days' },
      },
      { id: 3, previousEventId: 2, timestamp: at(2), type: 'MapStateStarted' },
    ];
    // Six iterations, three at a time: 0-1000, 0-1000, 0-1000, 1000-2000, ...
    for (let i = 0; i < 6; i++) {
      const start = 10 + Math.floor(i / 3) * 1000;
      history.push(
        {
          id: history.length + 1,
          previousEventId: 3,
          timestamp: at(start),
          type: 'TaskStateEntered',
          stateEnteredEventDetails: { name: 'LoadDay' },
        },
        {
          id: history.length + 2,
          previousEventId: history.length + 1,
          timestamp: at(start + 900),
          type: 'TaskStateExited',
          stateExitedEventDetails: { name: 'LoadDay' },
        },
      );
    }
    history.push(
      {
        id: history.length + 1,
        previousEventId: history.length,
        timestamp: at(2100),
        type: 'MapStateSucceeded',
      },
      {
        id: history.length + 2,
        previousEventId: history.length + 1,
        timestamp: at(2101),
        type: 'MapStateExited',
        stateExitedEventDetails: { name: 'Days' },
      },
      {
        id: history.length + 3,
        previousEventId: history.length + 2,
        timestamp: at(2102),
        type: 'ExecutionSucceeded',
      },
    );
    const statements = Array.from({ length: 18 }, (_, i) => ({
      id: `s${i}`,
      stateName: 'LoadDay',
      sql: `INSERT INTO days VALUES (${i})`,
      status: i === 17 ? 'FAILED' : 'FINISHED',
      startedAt: at(20 + Math.floor(i / 9) * 1000 + (i % 3) * 10),
      endedAt: at(20 + Math.floor(i / 9) * 1000 + (i % 3) * 10 + 800),
      rows: 2,
    }));

    const timeline = section(
      renderReport({
        title: 'map',
        definition,
        result: { status: 'SUCCEEDED' },
        history,
        statements,
      }),
      'timeline',
    );

    const laneYs = [
      ...timeline.matchAll(/class="bar state-bar outcome-succeeded" x="[^"]*" y="(\d+)"/g),
    ].map((m) => Number(m[1]));
    expect(laneYs.slice(1)).toEqual([61, 73, 85, 61, 73, 85]);
    expect(count(timeline, /<g class="lane statement-lane"/g)).toBe(0);
    expect(count(timeline, /<g class="lane statements-lane" data-state="LoadDay">/g)).toBe(1);
    expect(count(timeline, /class="bar statement-bar sql-finished"/g)).toBe(17);
    expect(count(timeline, /class="bar statement-bar sql-failed"/g)).toBe(1);
    expect(timeline).toContain('>18 SQL statements</text>');
    expect(timeline).toContain('>18 statements, 1 failed · 36 rows</text>');
  });

  it('marks the state whose event the execution failure follows as failed (States.Runtime at entry)', () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemsPath: '$.regions',
          ItemProcessor: { StartAt: 'Count', States: { Count: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    };
    const cause = "Invalid ItemsPath '$.regions'";
    const html = renderReport({
      title: 'runtime',
      definition,
      result: { status: 'FAILED', error: 'States.Runtime', cause },
      history: [
        { id: 1, previousEventId: 0, timestamp: at(0), type: 'ExecutionStarted' },
        {
          id: 2,
          previousEventId: 1,
          timestamp: at(1),
          type: 'MapStateEntered',
          stateEnteredEventDetails: { name: 'Fan' },
        },
        {
          id: 3,
          previousEventId: 2,
          timestamp: at(12),
          type: 'ExecutionFailed',
          executionFailedEventDetails: { error: 'States.Runtime', cause },
        },
      ],
    });

    expect(graphOutcomes(html)).toEqual({ Fan: 'failed', Count: 'notRun' });
  });

  it('tells concurrent visits of one state apart by their event links', () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Count',
            States: {
              Count: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true },
            },
          },
          End: true,
        },
      },
    };
    const throttled = { error: 'Lambda.TooManyRequestsException', cause: 'Rate Exceeded.' };
    const e = (
      id: number,
      previousEventId: number,
      ms: number,
      type: string,
      details: Record<string, unknown> = {},
    ): HistoryEvent => ({
      id,
      previousEventId,
      timestamp: at(ms),
      type,
      ...details,
    });
    const history: HistoryEvent[] = [
      e(1, 0, 0, 'ExecutionStarted'),
      e(2, 1, 1, 'MapStateEntered', { stateEnteredEventDetails: { name: 'Fan' } }),
      e(3, 2, 2, 'MapStateStarted'),
      e(4, 3, 3, 'MapIterationStarted'),
      e(5, 4, 3, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'Count' } }), // A
      e(6, 3, 3, 'MapIterationStarted'),
      e(7, 6, 3, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'Count' } }), // B
      e(8, 5, 10, 'TaskScheduled'),
      e(9, 8, 10, 'TaskStarted'),
      e(10, 7, 10, 'TaskScheduled'),
      e(11, 10, 10, 'TaskStarted'),
      e(12, 11, 20, 'TaskFailed', { taskFailedEventDetails: throttled }), // B throttled
      e(13, 9, 100, 'TaskSucceeded'),
      e(14, 13, 101, 'TaskStateExited', { stateExitedEventDetails: { name: 'Count' } }), // A exits first
      e(15, 12, 300, 'TaskScheduled'),
      e(16, 15, 300, 'TaskStarted'),
      e(17, 16, 400, 'TaskSucceeded'),
      e(18, 17, 401, 'TaskStateExited', { stateExitedEventDetails: { name: 'Count' } }),
      e(19, 18, 402, 'MapStateSucceeded'),
      e(20, 19, 403, 'MapStateExited', { stateExitedEventDetails: { name: 'Fan' } }),
      e(21, 20, 404, 'ExecutionSucceeded'),
    ];

    const html = renderReport({
      title: 'fan',
      definition,
      result: { status: 'SUCCEEDED' },
      history,
    });

    expect(graphOutcomes(html)).toEqual({ Fan: 'succeeded', Count: 'succeeded' });
    expect(section(html, 'graph')).toContain('>×2 ↻1</text>');
    expect(section(html, 'timeline')).toContain('>496 ms (2 visits)</text>');
    expect(tableRows(html, 'history').map((row) => row[2])).toEqual([
      '',
      'Fan',
      'Fan',
      'Fan',
      'Count',
      'Fan',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Count',
      'Fan',
      'Fan',
      '',
    ]);
  });

  it('marks a Fail state that ended the execution as failed', () => {
    const definition = {
      StartAt: 'Stop',
      States: { Stop: { Type: 'Fail', Error: 'Stopped', Cause: 'by design' } },
    };
    const input: ReportInput = {
      title: 'fail',
      definition,
      result: { status: 'FAILED', error: 'Stopped', cause: 'by design' },
      history: [
        { id: 1, previousEventId: 0, timestamp: at(0), type: 'ExecutionStarted' },
        {
          id: 2,
          previousEventId: 1,
          timestamp: at(1),
          type: 'FailStateEntered',
          stateEnteredEventDetails: { name: 'Stop' },
        },
        {
          id: 3,
          previousEventId: 2,
          timestamp: at(2),
          type: 'ExecutionFailed',
          executionFailedEventDetails: { error: 'Stopped', cause: 'by design' },
        },
      ],
    };

    const html = renderReport(input);

    expect(graphOutcomes(html)).toEqual({ Stop: 'failed' });
    expect(section(html, 'graph')).toContain('>Fail · Stopped</text>');
    expect(section(html, 'result')).toContain('<pre class="cause">by design</pre>');
  });

  it('draws the graph of a definition with no history as all not run', () => {
    const html = renderReport({
      title: 'empty',
      definition: etlDefinition,
      result: { status: 'ABORTED' },
      history: [],
    });

    expect(new Set(Object.values(graphOutcomes(html)))).toEqual(new Set(['notRun']));
    expect(section(html, 'history')).toContain('<p class="empty">No events.</p>');
    expect(section(html, 'statements')).toContain('<p class="empty">No SQL statements.</p>');
  });

  it('fails when the definition is not an ASL object', () => {
    const render = (): string =>
      renderReport({
        title: 't',
        definition: { States: {} },
        result: { status: 'SUCCEEDED' },
        history: [],
      });

    expect(render).toThrow(InvalidReportInputError);
    expect(render).toThrow(
      'definition must be an object with "StartAt" (a state name) and "States" (an object of states); pass the parsed ASL definition',
    );
  });

  it('fails when a transition names a state that does not exist', () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }],
          End: true,
        },
      },
    };

    expect(() =>
      renderReport({ title: 't', definition, result: { status: 'SUCCEEDED' }, history: [] }),
    ).toThrow(
      'definition > "P".Branches[0]: state "A" has Next "Nowhere", which is not a state of the same scope',
    );
  });

  it('fails when an event timestamp is not a time', () => {
    const input: ReportInput = {
      title: 't',
      definition: etlDefinition,
      result: { status: 'SUCCEEDED' },
      history: [{ id: 1, timestamp: 'yesterday', type: 'ExecutionStarted' }],
    };

    expect(() => renderReport(input)).toThrow(
      'history event 1 (ExecutionStarted) timestamp is not a valid time: "yesterday"; give a Date, an ISO-8601 string or epoch milliseconds',
    );
  });
});
