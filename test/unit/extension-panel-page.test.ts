import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { panelCsp, panelPage } from '../../src/core/editor/panelPage';

const assets = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
};

test('the CSP allows nothing by default and scripts only with the nonce', () => {
  const csp = panelCsp(assets.cspSource, 'N0NCE');
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-N0NCE'"], 'no host, no unsafe-inline, no eval');
  assert.ok(!csp.includes('unsafe'), 'nothing unsafe');
  assert.ok(!csp.includes('http:'), 'no plain http source');
  for (const [name, sources] of directives) {
    for (const source of sources) {
      assert.ok(source === assets.cspSource || source.startsWith("'") || source === 'data:', `${name} allows only bundled assets, not ${source}`);
    }
  }
});

test('the page loads only the bundled script and stylesheet, with the nonce, and names its language', () => {
  const page = panelPage(assets, 'ko', 'abc+/=');
  const scripts = [...page.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [` nonce="abc+/=" src="${assets.scriptUri}"`], 'one external script, no inline code');
  assert.match(page, new RegExp(`<link rel="stylesheet" nonce="abc\\+/=" href="${assets.styleUri.replace(/[.+]/g, '\\$&')}">`));
  assert.match(page, /<body data-language="ko">/);
  assert.match(page, /<html lang="ko">/);
  assert.doesNotMatch(page, /https?:\/\/(?!file\+\.vscode-resource)/, 'no remote resources');
});

test('a fresh nonce per page, and no stylesheet link when the build has none', () => {
  const { styleUri: _unused, ...withoutStyle } = assets;
  const a = panelPage(withoutStyle, 'en');
  const b = panelPage(withoutStyle, 'en');
  const nonceOf = (page: string): string => /nonce="([^"]+)"/.exec(page)![1];
  assert.notEqual(nonceOf(a), nonceOf(b));
  assert.ok(nonceOf(a).length >= 16);
  assert.doesNotMatch(a, /<link/);
});

test('attribute values are escaped', () => {
  const page = panelPage({ ...assets, scriptUri: 'x"><img src=y>' }, 'en', 'n');
  assert.match(page, /src="x&quot;&gt;&lt;img src=y&gt;"/);
});
