import { describe, expect, it } from 'vitest';
import { EventBus, type BusEvent } from '../../../src/sandbox/bus/event-bus.js';

const event = (n: number): BusEvent => ({ source: 'app', 'detail-type': 'T', detail: { n } });

describe('event bus', () => {
  it('delivers matching events to rule targets, drops and duplicates on request', async () => {
    const bus = new EventBus();
    const got: number[] = [];
    bus.putRule({
      name: 'even',
      pattern: { source: ['app'], detail: { n: [{ numeric: ['<', 10] }] } },
      targets: [(e) => void got.push((e.detail as { n: number }).n)],
    });
    bus.publish(event(1));
    bus.publish(event(50));
    bus.intercept((e) => ((e.detail as { n: number }).n === 2 ? 'drop' : 'duplicate'));
    bus.publish(event(2));
    bus.publish(event(3));
    await bus.drain();
    expect(got).toEqual([1, 3, 3]);
    expect(bus.stats()).toEqual({ published: 4, matched: 2, dropped: 1, failedDeliveries: 0 });
  });

  it('fails when a rule has an invalid pattern', () => {
    expect(() =>
      new EventBus().putRule({ name: 'bad', pattern: { source: 'x' }, targets: [] }),
    ).toThrow(
      'Event pattern is not valid: the value of "source" must be an array or an object, got "x"',
    );
  });
});
