import * as crypto from 'node:crypto';
import type { Lang } from '../knowledge/schema';
import { uiText } from '../l10n/uiText';

/** What the panel page needs from the webview: its CSP source and the URIs of the bundled assets. */
export interface PanelPageAssets {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  scriptUri: string;
  /** The bundled stylesheet, when the build produced one. */
  styleUri?: string;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function newNonce(): string {
  return crypto.randomBytes(18).toString('base64');
}

/** The Content-Security-Policy of the panel: nothing by default, bundled assets only, scripts by nonce. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The panel page: strict CSP with a per-load nonce, only bundled assets, the UI language on the body. */
export function panelPage(assets: PanelPageAssets, language: Lang, nonce: string = newNonce()): string {
  const t = uiText(language);
  const title = t('SockLens live socket panel');
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(panelCsp(assets.cspSource, nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${title}</title>`,
    ...(assets.styleUri ? [`<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(assets.styleUri)}">`] : []),
    '</head>',
    `<body data-language="${language}">`,
    `<script nonce="${nonce}" src="${escapeAttribute(assets.scriptUri)}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
