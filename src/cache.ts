interface Entry<V> {
  value?: V;
  /** Date.now() when the load that gave `value` began: its age counts from there. */
  loadedAt: number;
  /** performance.now() when that load finished. */
  readAt: number;
  stale: boolean;
  loading?: Promise<V>;
}

/**
 * Keeps values for at most `maxAgeMs` and loads each key at most once at a
 * time: a thousand readers of a cold key cause one query, not a thousand.
 */
export class LoadingCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #load: (key: K) => Promise<V>;
  readonly #maxAgeMs: number;
  readonly #staleOnError: (err: unknown) => boolean;

  /**
   * `staleOnError` says which load failures may be answered with the last
   * value instead (a database that is briefly away, say).
   */
  constructor(
    load: (key: K) => Promise<V>,
    maxAgeMs: number,
    staleOnError: (err: unknown) => boolean = () => false,
  ) {
    this.#load = load;
    this.#maxAgeMs = maxAgeMs;
    this.#staleOnError = staleOnError;
  }

  get(key: K): Promise<V> {
    const value = this.peek(key);
    if (value !== undefined) return Promise.resolve(value);
    return this.#entries.get(key)?.loading ?? this.#refresh(key);
  }

  /** The value if it is in memory and fresh; never loads. */
  peek(key: K): V | undefined {
    const entry = this.#entries.get(key);
    const fresh = entry && !entry.stale && Date.now() - entry.loadedAt < this.#maxAgeMs;
    return fresh ? entry.value : undefined;
  }

  /**
   * Changes a fresh value in memory, keeping its age: it still expires when
   * the value it came from would have. `since` (performance.now()) is when
   * the change began to be made at the source: only a value whose load
   * finished before then is known not to hold it already. When the value
   * is not fresh or not that old, a load is running (it may or may not see
   * the change), or `change` gives up (undefined), the next read loads
   * again instead.
   */
  update(key: K, change: (value: V) => V | undefined, since: number): void {
    const entry = this.#entries.get(key);
    const known = entry && !entry.loading && entry.readAt < since;
    const value = known ? this.peek(key) : undefined;
    const changed = value === undefined ? undefined : change(value);
    if (entry && changed !== undefined) entry.value = changed;
    else this.invalidate(key);
  }

  /** The next read loads again; a load already running is not reused. */
  invalidate(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.stale = true;
    entry.loading = undefined;
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  #refresh(key: K): Promise<V> {
    const entry: Entry<V> = this.#entries.get(key) ?? {
      loadedAt: 0,
      readAt: 0,
      stale: true,
    };
    const startedAt = Date.now();
    const loading = this.#load(key).then(
      (value) => {
        if (entry.loading === loading) {
          Object.assign(entry, {
            value,
            loadedAt: startedAt,
            readAt: performance.now(),
            stale: false,
            loading: undefined,
          });
        }
        return value;
      },
      (err) => {
        if (entry.loading === loading) entry.loading = undefined;
        if (entry.value !== undefined && this.#staleOnError(err)) return entry.value;
        throw err;
      },
    );
    entry.loading = loading;
    this.#entries.set(key, entry);
    return loading;
  }
}
