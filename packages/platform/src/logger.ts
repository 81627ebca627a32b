import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** The one logger factory of every process: JSON lines on stdout, one `service` field each. */
export function createLogger(options: { service: string; level: string }): Logger {
  return pino({
    level: options.level,
    base: { service: options.service },
    redact: { paths: ['req.headers.authorization', '*.password', '*.refreshToken'], censor: '[redacted]' },
  });
}

/** A logger that writes nothing, for tests that do not assert on logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
