import { describe, expect, it } from 'vitest';
import { createJsonLogger, parseLogLevel } from '../../src/core/json-logger.js';

describe('createJsonLogger', () => {
  it('writes one JSON object per line, drops lines under the level and redacts secrets', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({
      level: 'INFO',
      base: { handler: 'completer' },
      write: (line) => lines.push(line),
      now: () => new Date('2026-12-04T20:00:00Z'),
    });

    logger.debug('hidden');
    logger.info('callback sent', {
      statementName: 'p.x',
      taskToken: 'AQB-secret',
      nested: { sqlParameters: { email: 'a@b.c' } },
      error: new TypeError('boom'),
    });

    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        level: 'INFO',
        time: '2026-12-04T20:00:00.000Z',
        message: 'callback sent',
        handler: 'completer',
        statementName: 'p.x',
        taskToken: '[redacted]',
        nested: { sqlParameters: '[redacted]' },
        error: { name: 'TypeError', message: 'boom' },
      },
    ]);
  });

  it('reads level names in any case and falls back to INFO', () => {
    expect([
      parseLogLevel('warn'),
      parseLogLevel('ERROR'),
      parseLogLevel('loud'),
      parseLogLevel(undefined),
    ]).toEqual(['WARN', 'ERROR', 'INFO', 'INFO']);
  });
});
