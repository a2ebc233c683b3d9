import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
/** Fastify's logger as pino makes it: it can say whether a level is on. */
export type LevelAwareLogger = FastifyBaseLogger & {
  isLevelEnabled(level: string): boolean;
};
type Parent = LevelAwareLogger;
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/**
 * A request's logger that becomes a pino child (carrying the request id)
 * only when the request first logs something at an enabled level. Fastify
 * makes a child for every request, which the benchmark showed to cost a
 * fifth of a small request's time; most requests log one line or none.
 */
class LazyRequestLogger implements FastifyBaseLogger {
  readonly #parent: Parent;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions | undefined;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: Parent, bindings: Bindings, options?: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get level(): string {
    return this.#parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal = (...args: LogArgs) => this.#log('fatal', args);
  error = (...args: LogArgs) => this.#log('error', args);
  warn = (...args: LogArgs) => this.#log('warn', args);
  info = (...args: LogArgs) => this.#log('info', args);
  debug = (...args: LogArgs) => this.#log('debug', args);
  trace = (...args: LogArgs) => this.#log('trace', args);
  silent = () => {};

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  #log(level: Level, args: LogArgs) {
    if (!this.#parent.isLevelEnabled(level)) return;
    (this.#real()[level] as (...a: LogArgs) => void)(...args);
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }
}

export function lazyRequestLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(parent as Parent, bindings, options);
}

/** The fields of the one log line each request gets, its duration to a tenth of a ms. */
export function requestLine(method: string, route: string, status: number, ms: number) {
  return { method, route, status, ms: Math.round(ms * 10) / 10 };
}

/** The caller's X-Request-Id when it is a plain token, or a new random id. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header)
    ? header
    : randomUUID();
}
