/**
 * An EventBridge-like bus: rules with real event patterns route each published event to their
 * targets, asynchronously as EventBridge does. An interceptor can drop or duplicate events to
 * test loss and at-least-once delivery.
 */
import { matchesEventPattern, validateEventPattern } from './event-pattern.js';

/** An event in EventBridge's envelope form (`detail-type`, `detail`, ...). */
export interface BusEvent {
  readonly version?: string;
  readonly id?: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly account?: string;
  readonly time?: string;
  readonly region?: string;
  readonly resources?: readonly string[];
  readonly detail: unknown;
}

export type EventTarget = (event: BusEvent) => void | Promise<void>;

export interface Rule {
  readonly name: string;
  readonly pattern: unknown;
  readonly targets: readonly EventTarget[];
}

/** `deliver` normally, `drop` to lose the event, `duplicate` to deliver it twice. */
export type DeliveryDecision = 'deliver' | 'drop' | 'duplicate';
export type EventInterceptor = (event: BusEvent) => DeliveryDecision;

export interface BusStats {
  readonly published: number;
  readonly matched: number;
  readonly dropped: number;
  readonly failedDeliveries: number;
}

export class EventBus {
  private readonly rules = new Map<string, Rule>();
  private readonly inFlight = new Set<Promise<void>>();
  private interceptor: EventInterceptor | undefined;
  private counters = { published: 0, matched: 0, dropped: 0, failedDeliveries: 0 };

  constructor(
    private readonly onDeliveryError: (error: unknown, rule: string) => void = () => undefined,
  ) {}

  /** Adds or replaces a rule (PutRule + PutTargets). Throws `InvalidEventPatternException`. */
  putRule(rule: Rule): void {
    validateEventPattern(rule.pattern);
    this.rules.set(rule.name, rule);
  }

  removeRule(name: string): void {
    this.rules.delete(name);
  }

  intercept(interceptor: EventInterceptor | undefined): void {
    this.interceptor = interceptor;
  }

  stats(): BusStats {
    return { ...this.counters };
  }

  /** Publishes an event; targets run after this returns. */
  publish(event: BusEvent): void {
    this.counters.published++;
    const decision = this.interceptor?.(event) ?? 'deliver';
    if (decision === 'drop') {
      this.counters.dropped++;
      return;
    }
    const copies = decision === 'duplicate' ? 2 : 1;
    for (const rule of this.rules.values()) {
      if (!matchesEventPattern(rule.pattern, event)) continue;
      this.counters.matched++;
      for (let i = 0; i < copies; i++) {
        for (const target of rule.targets) {
          const delivery = Promise.resolve()
            .then(() => target(event))
            .catch((error: unknown) => {
              this.counters.failedDeliveries++;
              this.onDeliveryError(error, rule.name);
            })
            .finally(() => this.inFlight.delete(delivery));
          this.inFlight.add(delivery);
        }
      }
    }
  }

  /** Resolves when every delivery started so far has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
