import { busEventSchemas, type BusTopic } from '@mmo/shared';
import type { Logger } from 'pino';
import type { BusHandler } from './event-bus.js';

/**
 * The subscriber side that both bus implementations share: handlers per topic, payload
 * validation, and isolation of one handler's failure from the others.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<BusTopic, Set<BusHandler<BusTopic>>>();

  constructor(private readonly logger: Logger) {}

  /** Adds a handler; returns true when it is the topic's first. */
  add<T extends BusTopic>(topic: T, handler: BusHandler<T>): boolean {
    let set = this.handlers.get(topic);
    const first = !set;
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler as BusHandler<BusTopic>);
    return first;
  }

  /** Removes a handler; returns true when the topic has none left. */
  remove<T extends BusTopic>(topic: T, handler: BusHandler<T>): boolean {
    const set = this.handlers.get(topic);
    if (!set) return false;
    set.delete(handler as BusHandler<BusTopic>);
    if (set.size > 0) return false;
    this.handlers.delete(topic);
    return true;
  }

  /** Validates a payload that arrived for `topic` and hands it to every handler. */
  dispatch(topic: BusTopic, payload: unknown): void {
    const set = this.handlers.get(topic);
    if (!set) return;
    const parsed = busEventSchemas[topic].safeParse(payload);
    if (!parsed.success) {
      this.logger.warn({ topic, issues: parsed.error.issues }, 'dropped a malformed bus event');
      return;
    }
    for (const handler of set) {
      Promise.resolve()
        .then(() => handler(parsed.data))
        .catch((error: unknown) => this.logger.error({ err: error, topic }, 'bus handler failed'));
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}

/** Checks an outgoing payload so that a publisher bug fails where it happens. */
export function assertPublishable(topic: BusTopic, payload: unknown): void {
  busEventSchemas[topic].parse(payload);
}
