import type { BusEvent, BusTopic } from '@mmo/shared';
import type { Logger } from 'pino';
import type { BusHandler, EventBus } from './event-bus.js';
import { assertPublishable, HandlerRegistry } from './handlers.js';

/**
 * The bus of a single process (embedded mode). Events are delivered on a later tick, as
 * over Redis, so that code does not come to depend on synchronous delivery.
 */
export class LocalEventBus implements EventBus {
  private readonly registry: HandlerRegistry;

  constructor(logger: Logger) {
    this.registry = new HandlerRegistry(logger);
  }

  async publish<T extends BusTopic>(topic: T, payload: BusEvent<T>): Promise<void> {
    assertPublishable(topic, payload);
    // A structured clone gives subscribers the same isolation a network hop would.
    const copy = structuredClone(payload);
    setImmediate(() => this.registry.dispatch(topic, copy));
  }

  async subscribe<T extends BusTopic>(topic: T, handler: BusHandler<T>): Promise<() => Promise<void>> {
    this.registry.add(topic, handler);
    return async () => {
      this.registry.remove(topic, handler);
    };
  }

  async close(): Promise<void> {
    this.registry.clear();
  }
}
