import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout; `LOG_LEVEL=silent` in tests. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'roomwatch' }, redact: ['req.headers.cookie', 'req.headers.authorization'] });
}
