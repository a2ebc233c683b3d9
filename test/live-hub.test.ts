import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LiveHub, type LiveLoader, type LiveSink } from '../src/live/hub.js';
import { silentLog } from './helpers/app.js';

/** What an HTTP response does with the hub's writes, kept in memory to look at. */
class MemorySink implements LiveSink {
  readonly chunks: Buffer[] = [];
  writableLength = 0;
  ended = false;
  destroyed = false;

  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString();
  }

  get results(): string[] {
    return this.text
      .split('\n\n')
      .filter((block) => block.startsWith('event: results'))
      .map((block) => block.slice(block.indexOf('data: ') + 6));
  }
}

/** A loader whose answer the test sets, counting its calls. */
function counter(initial = '{"total":0}') {
  const state = { json: initial as string | undefined, reads: 0, fail: false };
  const load: LiveLoader = async () => {
    state.reads++;
    if (state.fail) throw new Error('database away');
    return state.json;
  };
  return { state, load };
}

const topic = { id: 7, slug: 'topic' };

describe('the live hub', () => {
  it('reads a watched poll once per interval however many subscribe', async () => {
    const { state, load } = counter();
    const hub = new LiveHub(load, silentLog, { intervalMs: 50 });
    const sinks = Array.from({ length: 100 }, () => new MemorySink());
    for (const sink of sinks) hub.subscribe(topic, sink);
    await sleep(520);
    hub.close();
    // One read at the start, then one every 50 ms: about 11, never 100 or more.
    assert.ok(state.reads >= 8 && state.reads <= 12, `${state.reads} reads`);
  });

  it('frames each change once and sends the same bytes to every subscriber', async () => {
    const { state, load } = counter('{"total":1}');
    const hub = new LiveHub(load, silentLog, { intervalMs: 30 });
    const [a, b] = [new MemorySink(), new MemorySink()];
    hub.subscribe(topic, a);
    hub.subscribe(topic, b);
    await sleep(100);
    state.json = '{"total":2}';
    await sleep(100);
    hub.close();

    assert.deepEqual(a.results, ['{"total":1}', '{"total":2}']);
    assert.deepEqual(b.results, a.results);
    const frames = (sink: MemorySink) => sink.chunks.filter((c) => c.includes('event:'));
    for (const [i, frame] of frames(a).entries()) {
      assert.equal(frame, frames(b)[i], 'the very same Buffer, framed once');
    }
    assert.match(a.text, /^retry: \d+\n\n/);
  });

  it('gives a late subscriber the latest results at once', async () => {
    const { load } = counter('{"total":5}');
    const hub = new LiveHub(load, silentLog, { intervalMs: 10_000 });
    hub.subscribe(topic, new MemorySink());
    await sleep(20);
    const late = new MemorySink();
    hub.subscribe(topic, late);
    assert.deepEqual(late.results, ['{"total":5}']);
    hub.close();
  });

  it('reads again at once after a local commit, at most once per gap', async () => {
    const { state, load } = counter();
    const hub = new LiveHub(load, silentLog, { intervalMs: 10_000, minGapMs: 100 });
    const sink = new MemorySink();
    hub.subscribe(topic, sink);
    await sleep(150);
    state.json = '{"total":1}';
    hub.votesCommitted([topic.id, 99]);
    await sleep(10);
    assert.deepEqual(sink.results, ['{"total":0}', '{"total":1}']);

    for (let i = 0; i < 20; i++) hub.votesCommitted([topic.id]);
    await sleep(150);
    hub.close();
    assert.equal(state.reads, 3, 'twenty commits in a burst cost one read');
  });

  it('ends the streams of a poll that is gone', async () => {
    const { state, load } = counter();
    const hub = new LiveHub(load, silentLog, { intervalMs: 20 });
    const sink = new MemorySink();
    hub.subscribe(topic, sink);
    await sleep(30);
    state.json = undefined;
    await sleep(50);
    assert.ok(sink.ended);
    assert.equal(hub.subscribers, 0);
    assert.equal(hub.polls, 0);
  });

  it('keeps its subscribers through a failed read and catches up after', async () => {
    const { state, load } = counter();
    const hub = new LiveHub(load, silentLog, { intervalMs: 20 });
    const sink = new MemorySink();
    hub.subscribe(topic, sink);
    await sleep(30);
    state.fail = true;
    state.json = '{"total":3}';
    await sleep(60);
    assert.deepEqual(sink.results, ['{"total":0}']);
    state.fail = false;
    await sleep(60);
    hub.close();
    assert.deepEqual(sink.results, ['{"total":0}', '{"total":3}']);
    assert.ok(!sink.destroyed);
  });

  it('drops a subscriber that stopped reading instead of buffering for it', async () => {
    const { state, load } = counter();
    const hub = new LiveHub(load, silentLog, { intervalMs: 20, maxBufferedBytes: 1024 });
    const [reader, stalled] = [new MemorySink(), new MemorySink()];
    hub.subscribe(topic, reader);
    hub.subscribe(topic, stalled);
    await sleep(30);
    stalled.writableLength = 4096;
    state.json = '{"total":1}';
    await sleep(50);
    hub.close();
    assert.ok(stalled.destroyed);
    assert.deepEqual(reader.results, ['{"total":0}', '{"total":1}']);
  });

  it('keeps quiet streams open with heartbeat comments', async () => {
    const { load } = counter();
    const hub = new LiveHub(load, silentLog, { intervalMs: 10_000, heartbeatMs: 30 });
    const sink = new MemorySink();
    hub.subscribe(topic, sink);
    await sleep(100);
    hub.close();
    assert.ok((sink.text.match(/^: keep-alive$/gm) ?? []).length >= 2);
  });

  it('ends every stream on close and takes no new ones', async () => {
    const { state, load } = counter();
    const hub = new LiveHub(load, silentLog, { intervalMs: 20 });
    const sinks = [new MemorySink(), new MemorySink()];
    hub.subscribe(topic, sinks[0] as MemorySink);
    hub.subscribe({ id: 8, slug: 'other' }, sinks[1] as MemorySink);
    await sleep(30);
    hub.close();
    assert.ok(sinks.every((s) => s.ended));
    assert.equal(hub.subscribers, 0);

    const reads = state.reads;
    const late = new MemorySink();
    hub.subscribe(topic, late);
    await sleep(60);
    assert.ok(late.ended);
    assert.equal(state.reads, reads, 'no timer is left reading');
  });
});
