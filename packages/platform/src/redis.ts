import { Redis } from 'ioredis';

/**
 * A Redis connection for one purpose. Commands fail after a bounded number of retries rather
 * than queue forever while Redis is down, so requests answer 503 instead of hanging.
 */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 3, enableAutoPipelining: true });
}
