// Korean particles in generated sentences: chosen from the word before them, never "(으)로" or "을(를)".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { finalSound, particleAfter, withParticle } from '../../src/core/l10n/particles';
import { fillTemplate } from '../../src/core/l10n/fill';
import { uiText } from '../../src/core/l10n/uiText';
import { translator } from '../../src/webview/strings';
import { t as hoverText } from '../../src/core/analysis/render/ui';

const root = path.join(__dirname, '..', '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

test('Hangul: the final consonant decides; ㄹ takes 로', () => {
  assert.equal(withParticle('서버', '이'), '서버가');
  assert.equal(withParticle('소켓', '가'), '소켓이');
  assert.equal(withParticle('연결', '으로'), '연결로');
  assert.equal(withParticle('주소', '을'), '주소를');
  assert.equal(withParticle('포트 번호', '와'), '포트 번호와');
  assert.equal(withParticle('전화', '은'), '전화는');
});

test('numbers as they are read aloud: 1 일, 0 영, 3 삼, 2 이, 10 십, 9190 구천백구십', () => {
  assert.equal(withParticle('클라이언트 1', '가'), '클라이언트 1이');
  assert.equal(withParticle('프로세스 28613', '가'), '프로세스 28613이');
  assert.equal(withParticle('코드 0', '로'), '코드 0으로');
  assert.equal(withParticle('3', '로'), '3으로');
  assert.equal(withParticle('2', '으로'), '2로');
  assert.equal(withParticle('1', '으로'), '1로');
  assert.equal(withParticle('7', '으로'), '7로');
  assert.equal(withParticle('5', '이'), '5가');
  assert.equal(withParticle('6', '를'), '6을');
  assert.equal(withParticle('10', '가'), '10이');
  assert.equal(withParticle('9190', '로'), '9190으로');
  assert.equal(withParticle('2000', '와'), '2000과');
  assert.equal(withParticle('client 2', '가'), 'client 2가');
  assert.equal(withParticle('127.0.0.1:50312', '와'), '127.0.0.1:50312와');
  assert.equal(withParticle('**0.0.0.0:9190**', '을'), '**0.0.0.0:9190**을');
});

test('Latin identifiers as Korean engineers say them', () => {
  const cases: [string, string, string][] = [
    ['`socket()`', '로', '으로'], // 소켓
    ['`bind()`', '으로', '로'], // 바인드
    ['`listen()`', '로', '으로'], // 리슨
    ['`accept()`', '이', '가'], // 억셉트
    ['`connect()`', '이', '가'], // 커넥트
    ['`SOCK_RAW`', '을', '를'], // 로
    ['`SOCK_STREAM`', '를', '을'], // 스트림
    ['`AF_INET`', '와', '과'], // 아이넷
    ['INADDR_ANY', '과', '와'], // 애니
    ['SIGTERM', '로', '으로'], // 시그텀
    ['SIGSEGV', '으로', '로'], // 시그세그브이
    ['SIGKILL', '으로', '로'], // 시그킬 (ㄹ)
    ['SIGINT', '으로', '로'], // 시그인트
    ['SIGHUP', '로', '으로'], // 시그헙
    ['EADDRINUSE', '으로', '로'], // 이애드인유즈
    ['EAGAIN', '로', '으로'], // 이어게인
    ['ETIMEDOUT', '로', '으로'], // 타임드아웃
    ['ECONNRESET', '로', '으로'], // 커넥션 리셋
    ['EWOULDBLOCK', '로', '으로'], // 우드블록
    ['EINVAL', '으로', '로'], // 인발 (ㄹ)
    ['gcc', '으로', '로'], // 지씨씨
    ['clang', '로', '으로'], // 클랭
    ['`clnt_sock`', '는', '은'], // 클라이언트 삭
    ['`serv_addr`', '을', '를'], // 서브 애드르
    ['`listenfd`', '은', '는'], // 리슨 에프디
    ['TCP', '과', '와'], // 티씨피
    ['URL', '로', '로'], // 유알엘 (ㄹ)
    ['`fd`', '이', '가'],
  ];
  for (const [word, asked, expected] of cases) assert.equal(particleAfter(word, asked), expected, `${word} + ${asked}`);
  assert.equal(finalSound(''), null);
  assert.equal(particleAfter('', '로'), '로', 'nothing to read: the particle as written');
});

test('templates: {name|particle} after a value, {particle} after the text so far, a missing value stays visible', () => {
  assert.equal(fillTemplate('프로세스 {pid|가} 코드 {code|로} 종료', { pid: 28613, code: 0 }), '프로세스 28613이 코드 0으로 종료');
  assert.equal(fillTemplate('`{call}()`{으로} 생성', { call: 'socket' }), '`socket()`으로 생성');
  assert.equal(fillTemplate('`{call}()`{으로} 생성', { call: 'bind' }), '`bind()`로 생성');
  assert.equal(fillTemplate('`{name}`{과} 같은 값', { name: 'AF_INET' }), '`AF_INET`과 같은 값');
  assert.equal(fillTemplate('{missing|가} 있음', {}), '{missing|가} 있음');
  assert.equal(fillTemplate('{0} and {1}', { 0: 'a', 1: 'b' }), 'a and b');
});

test('the UI bundle, the panel and the hovers use it: the sentences from the issue come out right', () => {
  const ko = uiText('ko');
  assert.equal(ko('[program exited with code {0}]', 0), '[프로그램이 종료 코드 0으로 끝났습니다]');
  assert.equal(ko('[program exited with code {0}]', 1), '[프로그램이 종료 코드 1로 끝났습니다]');
  assert.equal(ko('[program ended by signal {0}]', 'SIGTERM'), '[프로그램이 시그널 SIGTERM으로 끝났습니다]');
  assert.equal(ko('[program ended by signal {0}]', 'SIGSEGV'), '[프로그램이 시그널 SIGSEGV로 끝났습니다]');
  assert.equal(uiText('en')('[program exited with code {0}]', 0), '[program exited with code 0]');
  const panel = translator('ko');
  assert.equal(panel('event.exitedCode', { pid: 28613, code: 0 }), '프로세스 28613이 코드 0으로 종료');
  assert.equal(panel('event.client.sent', { id: 1, text: 'hi' }), '시험용 클라이언트 1이 보냄: hi');
  assert.equal(panel('event.client.sent', { id: 2, text: 'hi' }), '시험용 클라이언트 2가 보냄: hi');
  assert.equal(panel('event.compileStarted', { compiler: 'gcc' }), 'gcc로 컴파일 시작');
  assert.equal(panel('problems.failedCall', { call: 'bind', errno: 'EADDRINUSE' }), 'bind() 호출이 EADDRINUSE로 실패했습니다');
  assert.equal(hoverText('ko', 'event.created', { line: 12, call: 'socket', detail: '' }), '12번째 줄: `socket()`으로 생성');
  assert.equal(hoverText('ko', 'sameAs', { name: 'AF_INET' }), '`AF_INET`과 같은 값입니다.');
  assert.equal(hoverText('ko', 'value.misspelled', { right: 'SOCK_RAW' }), '알 수 없는 이름 — `SOCK_RAW`를 쓰려던 것인가요?');
});

/** Every Korean template SockLens fills: the UI bundle, the panel's table, the hovers' templates. */
function koreanTemplates(): [string, string][] {
  const bundle = Object.entries(readJson('l10n/bundle.l10n.ko.json') as Record<string, string>).map(([k, v]): [string, string] => [`l10n: ${k}`, v]);
  const panel = Object.entries(readJson('src/webview/i18n/ko.json') as Record<string, string>).map(([k, v]): [string, string] => [`panel: ${k}`, v]);
  const hover = Object.entries((readJson('knowledge/ui.json') as { ko: Record<string, string> }).ko).map(([k, v]): [string, string] => [`hover: ${k}`, v]);
  return [...bundle, ...panel, ...hover];
}

test('no template writes an unresolved particle such as (으)로, 을(를), 이(가), 과(와), 은(는)', () => {
  const unresolved = koreanTemplates().filter(([, text]) => /\((?:으|을|를|이|가|과|와|은|는)\)|[을이과은와]\((?:를|가|와|는|과)\)/.test(text));
  assert.deepEqual(unresolved, []);
});

test('after every placeholder, a two-form particle goes through the mechanism ({x|로} or {로}), never written out', () => {
  const literal = /\{\w+\}(?:`|\*\*|\(\))*(?:이|가|을|를|은|는|과|와|으로|로|이나|나)(?=$|[\s.,:;!?)…—\]])/;
  const written = koreanTemplates().filter(([, text]) => literal.test(text));
  assert.deepEqual(written, []);
});

test('every Korean template renders with sample values and leaves no particle placeholder behind', () => {
  for (const [where, template] of koreanTemplates()) {
    const names = [...template.matchAll(/\{(\w+)(?:\|[^}]*)?\}/g)].map((m) => m[1]);
    const values = Object.fromEntries(names.map((n, i) => [n, i % 2 ? 'socket' : String(i)]));
    const text = fillTemplate(template, values);
    assert.doesNotMatch(text, /\{(?:\w+\|)?(?:이|가|을|를|은|는|과|와|으로|로|이나|나|이라|라)\}/, where);
  }
});
