import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ORDER_MAX_WAIT_US, TimeOrder } from '../../src/core/runner/timeOrder';

interface Ev {
  t: number;
  name: string;
}

/** A TimeOrder on a clock the test moves by hand (origin 1,000,000 µs). */
function setup(catchUp: () => void = () => undefined) {
  const origin = 1_000_000;
  let now = origin;
  const out: string[] = [];
  const order = new TimeOrder<Ev>(origin, (e) => out.push(e.name), () => catchUp(), () => now);
  return {
    order,
    out,
    origin,
    at: (t: number) => (now = origin + t),
  };
}

test('events leave in time order once the tracer has delivered up to their time', () => {
  const { order, out, origin, at } = setup();
  order.tracerDeliveredUpTo(origin);
  at(300);
  order.add({ t: 250, name: 'stdout' }); // read by the runner at once
  order.flush();
  assert.deepEqual(out, [], 'the ring may still hold earlier calls');
  order.add({ t: 100, name: 'accept' }); // drained later
  order.add({ t: 200, name: 'write' });
  order.tracerDeliveredUpTo(origin + 260);
  order.flush();
  assert.deepEqual(out, ['accept', 'write', 'stdout']);
});

test('equal times keep their arrival order (a problem follows its call)', () => {
  const { order, out } = setup();
  order.add({ t: 5, name: 'bind' });
  order.add({ t: 5, name: 'problem' });
  order.add({ t: 4, name: 'socket' });
  order.flush(true);
  assert.deepEqual(out, ['socket', 'bind', 'problem']);
});

test('an open mark holds later events until its event is added; a held event holds what follows', () => {
  const { order, out, at } = setup();
  at(100);
  const connecting = order.mark();
  at(200);
  order.add({ t: 150, name: 'accept' });
  order.flush();
  assert.deepEqual(out, []);
  order.add({ t: connecting.us - 1_000_000, name: 'connected' });
  connecting.settle();
  order.flush();
  assert.deepEqual(out, ['connected', 'accept']);

  const write = order.add({ t: 160, name: 'write' });
  order.hold(write);
  order.add({ t: 170, name: 'close' });
  order.flush();
  assert.deepEqual(out, ['connected', 'accept']);
  order.release(write);
  order.flush();
  assert.deepEqual(out, ['connected', 'accept', 'write', 'close']);
});

test('no event waits longer than the bound; the sources are read once more before one is let go', () => {
  let caughtUp = 0;
  const s = setup(() => {
    caughtUp++;
    s.order.add({ t: 10, name: 'late call' });
  });
  s.order.tracerDeliveredUpTo(s.origin); // a drain stuck at an unpublished slot: no progress
  s.at(50);
  s.order.add({ t: 50, name: 'client sent' });
  s.order.flush();
  assert.deepEqual(s.out, []);
  s.at(50 + ORDER_MAX_WAIT_US + 1);
  s.order.flush();
  assert.equal(caughtUp, 1);
  assert.deepEqual(s.out, ['late call', 'client sent']);
});

test('a mark never settled lapses after the bound instead of holding every later event back', () => {
  const { order, out, at } = setup();
  at(10);
  order.mark(); // its report never comes
  at(20);
  order.add({ t: 20, name: 'accept' });
  order.flush();
  assert.deepEqual(out, []);
  at(10 + ORDER_MAX_WAIT_US + 1);
  order.add({ t: 10 + ORDER_MAX_WAIT_US, name: 'write' });
  order.flush();
  assert.deepEqual(out, ['accept', 'write']);
});

test("a firm mark (the main process's exit) holds later events past the bound until its event is added", () => {
  const { order, out, origin, at } = setup();
  at(10);
  const exit = order.mark(undefined, true);
  at(20);
  order.add({ t: 20, name: 'client closed' });
  at(20 + 2 * ORDER_MAX_WAIT_US);
  order.flush();
  assert.deepEqual(out, []);
  order.add({ t: exit.us - origin, name: 'exited' });
  exit.settle();
  order.flush();
  assert.deepEqual(out, ['exited', 'client closed']);
});
