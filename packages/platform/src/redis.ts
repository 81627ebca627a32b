import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection for one purpose. Commands fail after a bounded number of retries rather
 * than queue forever while Redis is down, so requests fail fast instead of hanging; ioredis
 * keeps reconnecting in the background. Connection errors are logged, once per kind in a row.
 */
export function createRedis(url: string, name: string, logger: Logger): Redis {
  const redis = new Redis(url, { connectionName: name, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  let last = '';
  redis.on('error', (error: Error) => {
    if (error.message === last) return;
    last = error.message;
    logger.warn({ err: error, connection: name }, 'redis connection error');
  });
  redis.on('ready', () => {
    last = '';
  });
  return redis;
}
