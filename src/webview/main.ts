// Entry of dist/webview.js: connects the panel to VS Code's webview API and the extension's messages.
import '../../media/panel.css';
import { mountPanel, type PanelHost } from './app.js';

declare function acquireVsCodeApi(): PanelHost;

const host = acquireVsCodeApi();
const language = document.body.dataset.language;
const panel = mountPanel(document.body, host, language === 'ko' || language === 'en' ? { language } : {});
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  panel.receive(event.data);
});
host.postMessage({ type: 'ready' });
