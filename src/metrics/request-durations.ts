import type { Metric, Registry } from 'prom-client';

type Labels = { method: string; route: string; status_code: number };

interface Series {
  labels: Labels;
  /** Observations per bucket, not cumulative; the last is those above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

/** One sample, in the shape prom-client's registry formats (`Histogram#get`). */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/**
 * The request-duration histogram, by method, route pattern and status.
 *
 * Every request is observed, so this is on the hottest path the app has.
 * prom-client's `Histogram#observe` builds a label hash string and turns a
 * bucket bound into a property name on every call; on a results read
 * answered from memory that was about a sixth of the read's cost. Here a
 * series is found through maps keyed by the values themselves and a bucket
 * by comparing numbers, and the cumulative counts are built only when
 * scraped.
 *
 * It is registered in the app's prom-client registry as a metric of its own:
 * the registry asks a metric for `get()` and formats what it returns, so the
 * exposition is the same as a prom-client Histogram's
 * (test/request-durations.test.ts holds the two to the same text).
 */
export class RequestDurations {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: number[];
  readonly #series = new Map<string, Map<string, Map<number, Series>>>();

  constructor(
    readonly name: string,
    readonly help: string,
    bounds: number[],
    registry: Registry,
  ) {
    this.#bounds = [...bounds].sort((a, b) => a - b);
    // Not one of prom-client's classes, but it answers what the registry asks of one.
    registry.registerMetric(this as unknown as Metric);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    const series = this.#find(method, route, status);
    const bounds = this.#bounds;
    let bucket = 0;
    while (bucket < bounds.length && seconds > (bounds[bucket] as number)) bucket++;
    series.counts[bucket] = (series.counts[bucket] as number) + 1;
    series.sum += seconds;
    series.count++;
  }

  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: Sample[];
  }> {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const series of this.#all()) {
      let below = 0;
      for (const [i, le] of this.#bounds.entries()) {
        below += series.counts[i] as number;
        values.push({
          value: below,
          labels: { le, ...series.labels },
          metricName: bucket,
        });
      }
      const { labels, sum, count } = series;
      values.push(
        { value: count, labels: { le: '+Inf', ...labels }, metricName: bucket },
        { value: sum, labels: { ...labels }, metricName: `${this.name}_sum` },
        { value: count, labels: { ...labels }, metricName: `${this.name}_count` },
      );
    }
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }

  reset(): void {
    this.#series.clear();
  }

  #find(method: string, route: string, status: number): Series {
    let routes = this.#series.get(method);
    if (!routes) {
      routes = new Map();
      this.#series.set(method, routes);
    }
    let statuses = routes.get(route);
    if (!statuses) {
      statuses = new Map();
      routes.set(route, statuses);
    }
    let series = statuses.get(status);
    if (!series) {
      const counts = new Array<number>(this.#bounds.length + 1).fill(0);
      series = {
        labels: { method, route, status_code: status },
        counts,
        sum: 0,
        count: 0,
      };
      statuses.set(status, series);
    }
    return series;
  }

  *#all(): Iterable<Series> {
    for (const routes of this.#series.values())
      for (const statuses of routes.values()) yield* statuses.values();
  }
}
