import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAnalyzer, type Analyzer } from '../../src/core/analysis/index';
import { findMarkers, fixtureNames, readFixture } from './analysis-fixture-helpers';

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
  assert.ok(analyzer.available, `parser did not load: ${analyzer.loadError}`);
});

after(() => {
  assert.equal(analyzer.lastFailure, undefined, `an exception was swallowed: ${analyzer.lastFailure?.stack}`);
});

for (const name of fixtureNames()) {
  describe(`fixture ${name}.c`, () => {
    const { text, expect } = readFixture(name);
    const markers = findMarkers(text);
    const position = (id: string): { line: number; character: number } => {
      const p = markers.get(id);
      assert.ok(p, `marker /*@${id}*/ missing in ${name}.c`);
      return p;
    };

    if (expect.calls) {
      it('lists the covered calls in order', () => {
        assert.deepEqual(analyzer.listCalls(text).map((c) => c.name), expect.calls);
      });
    }

    for (const check of expect.callArgs ?? []) {
      it(`${check.name}() #${check.nth ?? 0}: arguments as written and their values`, () => {
        const call = analyzer.listCalls(text).filter((c) => c.name === check.name)[check.nth ?? 0];
        assert.ok(call, `no call of ${check.name}`);
        if (check.args) assert.deepEqual(call.args.map((a) => a.text), check.args);
        if (check.recovered !== undefined) assert.equal(call.recovered, check.recovered);
        for (const [index, expected] of Object.entries(check.values ?? {})) {
          const value = call.args[Number(index)]?.value;
          if (expected === null) assert.equal(value, undefined, `argument ${index} should have no value`);
          else assert.ok(value?.includes(expected), `argument ${index} value ${JSON.stringify(value)} lacks ${JSON.stringify(expected)}`);
        }
      });
    }

    for (const [id, expected] of Object.entries(expect.at ?? {})) {
      it(`explains /*@${id}*/`, () => {
        const marker = expected?.marker ?? id;
        const p = position(marker);
        const got = analyzer.explainAt(text, p.line, p.character, expected?.lang ?? 'en');
        if (expected === null) {
          assert.equal(got, undefined, `expected nothing, got ${got?.kind} ${got?.name}`);
          return;
        }
        assert.ok(got, `nothing explained at ${marker} (${p.line + 1}:${p.character + 1})`);
        if (expected.kind) assert.equal(got.kind, expected.kind);
        if (expected.name) assert.equal(got.name, expected.name);
        assert.ok(got.range.start.line <= p.line && p.line <= got.range.end.line, 'range covers the position');
        const everything = got.more ? `${got.markdown}\n${got.more.markdown}` : got.markdown;
        for (const s of expected.includes ?? []) assert.ok(everything.includes(s), `card lacks ${JSON.stringify(s)}:\n${everything}`);
        for (const s of expected.excludes ?? []) assert.ok(!everything.includes(s), `card has ${JSON.stringify(s)}:\n${everything}`);
        for (const s of expected.hoverIncludes ?? []) assert.ok(got.markdown.includes(s), `hover lacks ${JSON.stringify(s)}:\n${got.markdown}`);
        if (!expected.outsideFunction) {
          const around = analyzer.explainAround(text, p.line, p.character, expected.lang ?? 'en');
          assert.equal(around?.markdown, got.markdown, 'explainAround (windowed parse) agrees with explainAt');
          assert.equal(around?.more?.markdown, got.more?.markdown, 'explainAround agrees on the full card');
        }
      });
    }

    if (expect.sockets) {
      const { at, expect: sockets } = expect.sockets;
      it('tracks the socket variables', () => {
        const p = position(at);
        const model = analyzer.socketsAt(text, p.line, p.character);
        assert.ok(model);
        for (const [variable, want] of Object.entries(sockets)) {
          const socket = model.get(variable);
          assert.ok(socket, `${variable} is not tracked`);
          if (want.role) assert.equal(socket.role, want.role, `${variable} role`);
          if (want.events) assert.deepEqual(socket.events.map((e) => e.kind), want.events, `${variable} events`);
        }
      });
    }

    const expectedPort = expect.port;
    if (expectedPort !== undefined) {
      it('finds where the port comes from', () => {
        const port = analyzer.findPortArgument(text);
        if (expectedPort === null) assert.equal(port, undefined);
        else assert.equal(port?.argIndex, expectedPort.argIndex);
      });
    }
  });
}
