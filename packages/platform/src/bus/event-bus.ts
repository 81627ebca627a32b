import type { BusEvent, BusTopic } from '@mmo/shared';

export type BusHandler<T extends BusTopic> = (payload: BusEvent<T>) => void | Promise<void>;

/**
 * Publish/subscribe between the services of the cluster. Delivery is at most once and
 * asynchronous: `publish` resolves when the event has left, not when it was handled, and a
 * handler's failure is logged by the bus, never reported to the publisher.
 *
 * Payloads are checked against `busEventSchemas` on both sides: the publisher cannot send a
 * malformed event, and a subscriber never sees one (from an older or newer process) either.
 */
export interface EventBus {
  publish<T extends BusTopic>(topic: T, payload: BusEvent<T>): Promise<void>;
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe<T extends BusTopic>(topic: T, handler: BusHandler<T>): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
