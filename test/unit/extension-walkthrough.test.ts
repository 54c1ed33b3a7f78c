/**
 * The Get Started walkthrough: its steps in the manifest (en and ko through package.nls), their media, and the
 * progress that completes them — from events of real runs (gcc, the tracer, loopback sockets).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { LESSON_STEPS, LessonProgress, lessonContextKey, type LessonStep } from '../../src/core/editor/lessonProgress';
import { startRun, type RunOptions } from '../../src/core/runner/run';

const root = path.join(__dirname, '..', '..');
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown: string };
  completionEvents: string[];
}

const manifest = readJson<{ contributes: { walkthroughs: { id: string; title: string; steps: WalkthroughStep[] }[] } }>('package.json');
const nls = { en: readJson<Record<string, string>>('package.nls.json'), ko: readJson<Record<string, string>>('package.nls.ko.json') };
const resolve = (lang: 'en' | 'ko', value: string): string => nls[lang][/^%(.+)%$/.exec(value)?.[1] ?? ''] ?? value;

test('the walkthrough follows the tutorial: socket, bind, listen, accept, then the client; each completes from a context key', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.deepEqual(walkthrough.steps.map((s) => s.id), [...LESSON_STEPS]);
  for (const step of walkthrough.steps) {
    assert.deepEqual(step.completionEvents, [`onContext:${lessonContextKey(step.id as LessonStep)}`]);
  }
});

test('every step has its text and its media in English and in Korean', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  for (const lang of ['en', 'ko'] as const) {
    assert.notEqual(resolve(lang, walkthrough.title), walkthrough.title);
    for (const step of walkthrough.steps) {
      for (const field of [step.title, step.description, step.media.markdown]) assert.notEqual(resolve(lang, field), field, `${lang}: ${field}`);
      const media = resolve(lang, step.media.markdown);
      assert.ok(media.startsWith(`media/walkthrough/${lang}/`), media);
      const text = fs.readFileSync(path.join(root, media), 'utf8');
      if (lang === 'ko') assert.match(text, /[가-힣]/);
      assert.match(text, new RegExp(`\`${step.id}\\(\\)\``), `${media} is about ${step.id}()`);
    }
  }
});

test('the English and the Korean media show the same code (comments aside)', () => {
  const code = (file: string): string[] =>
    [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/```c\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').map((l) => l.replace(/\/\*.*\*\//, '').trimEnd()));
  for (const step of LESSON_STEPS) assert.deepEqual(code(`media/walkthrough/ko/${step}.md`), code(`media/walkthrough/en/${step}.md`), step);
});

async function stepsReached(options: RunOptions): Promise<LessonStep[]> {
  const progress = new LessonProgress();
  const reached: LessonStep[] = [];
  const run = startRun(options);
  run.on('event', (event: SockLensEvent) => reached.push(...progress.apply(event)));
  const result = await run.done;
  assert.equal(result.reason, 'exited', result.error);
  return reached;
}

test('a real run of the hello server with the test client completes the four server steps', async () => {
  const reached = await stepsReached({ source: path.join(root, 'examples/hello_server.c'), args: 'auto', client: { text: 'hello' } });
  assert.deepEqual(reached, ['socket', 'bind', 'listen', 'accept']);
});

test('without a test client the server is listening but no call was answered', async () => {
  const reached = await stepsReached({ source: path.join(root, 'test/fixtures/runner/call_itself.c'), args: [] });
  assert.deepEqual(reached, ['socket', 'bind', 'listen', 'connect'], 'its own connect() counts for the client step; accepting itself is not the test client');
});

test('progress: failed calls do not count; accept needs the test client, in either order', () => {
  const base = { v: 2, seq: 0, t: 0, pid: 1, tid: 1, fd: 3, ret: 0, args: {}, src: null } as const;
  const call = (name: string, errno: string | null = null, extra: object = {}): SockLensEvent => ({ ...base, kind: 'call', call: name, errno, ...extra }) as unknown as SockLensEvent;
  const client = { v: 2, seq: 0, t: 0, kind: 'client', client: 1, action: 'connected', address: '127.0.0.1:9190' } as SockLensEvent;
  const a = new LessonProgress();
  assert.deepEqual(a.apply(call('bind', 'EADDRINUSE')), []);
  assert.deepEqual(a.apply(call('bind')), ['bind']);
  assert.deepEqual(a.apply(call('bind')), [], 'once');
  assert.deepEqual(a.apply(call('accept', null, { ret: 4 })), []);
  assert.deepEqual(a.apply(client), ['accept']);
  const b = new LessonProgress();
  assert.deepEqual(b.apply(client), []);
  assert.deepEqual(b.apply(call('accept4', null, { ret: 4 })), ['accept']);
  assert.deepEqual(b.apply(call('connect', 'ECONNREFUSED')), []);
  assert.deepEqual(b.apply(call('connect', null, { peer: '127.0.0.1:9190' })), ['connect']);
});
