import { busEventSchemas, type BusEvent, type BusTopic } from '@mmo/shared';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BusHandler, EventBus } from './event-bus.js';
import { assertPublishable, HandlerRegistry } from './handlers.js';

const CHANNEL_PREFIX = 'mmo:bus:';

function isTopic(name: string): name is BusTopic {
  return Object.hasOwn(busEventSchemas, name);
}

/**
 * The bus of the cluster, on Redis pub/sub. A subscribed Redis connection can do nothing but
 * subscribe, so the bus holds two: one to publish, one to listen. It owns neither: the
 * composition root creates and closes them.
 */
export class RedisEventBus implements EventBus {
  private readonly registry: HandlerRegistry;
  /** One SUBSCRIBE per topic; later subscribers wait for it too, so none returns before it is live. */
  private readonly live = new Map<BusTopic, Promise<unknown>>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {
    this.registry = new HandlerRegistry(logger);
    this.subscriber.on('message', this.onMessage);
  }

  async publish<T extends BusTopic>(topic: T, payload: BusEvent<T>): Promise<void> {
    assertPublishable(topic, payload);
    await this.publisher.publish(CHANNEL_PREFIX + topic, JSON.stringify(payload));
  }

  async subscribe<T extends BusTopic>(topic: T, handler: BusHandler<T>): Promise<() => Promise<void>> {
    if (this.registry.add(topic, handler)) this.live.set(topic, this.subscriber.subscribe(CHANNEL_PREFIX + topic));
    await this.live.get(topic);
    return async () => {
      if (!this.registry.remove(topic, handler)) return;
      this.live.delete(topic);
      await this.subscriber.unsubscribe(CHANNEL_PREFIX + topic);
    };
  }

  async close(): Promise<void> {
    this.subscriber.off('message', this.onMessage);
    this.registry.clear();
    this.live.clear();
  }

  private readonly onMessage = (channel: string, message: string): void => {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    const topic = channel.slice(CHANNEL_PREFIX.length);
    if (!isTopic(topic)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      this.logger.warn({ topic }, 'dropped a bus event that is not JSON');
      return;
    }
    this.registry.dispatch(topic, payload);
  };
}
