// The built-in test client: Connect, type and Send, see replies, Disconnect; several at once.
// Cards are updated in place (never rebuilt) so a half-typed message and the focus survive new events.
import { button, clear, el, setText } from '../dom.js';
import { MAX_CLIENT_LINES, mainService, nextClientId, requestClient, requestDisconnect, type ClientSession } from '../model.js';
import type { ViewContext } from './context.js';
import { visibleControls } from '../describe.js';

/** A reply longer than this is cut in the card (the timeline event keeps its own, shorter, excerpt). */
const MAX_LINE_CHARS = 4096;

interface Card {
  root: HTMLElement;
  label: HTMLElement;
  state: HTMLElement;
  log: HTMLElement;
  input: HTMLInputElement;
  send: HTMLButtonElement;
  disconnect: HTMLButtonElement;
  /** Shown once the server closed the connection: says so and offers a new connection. */
  hungUp: HTMLElement;
  again: HTMLButtonElement;
  lastSeq: number;
  /** Text sent while still connecting. */
  queued: string[];
}

export class ClientsView {
  readonly root: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly connect: HTMLButtonElement;
  private readonly target: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private cards = new Map<number, Card>();
  private language = '';

  constructor(private readonly ctx: ViewContext) {
    const doc = ctx.doc;
    this.root = el(doc, 'section', 'clients');
    this.heading = el(doc, 'h2');
    this.connect = button(doc, 'client-connect', '', () => this.openClient());
    this.target = el(doc, 'span', 'client-target');
    const bar = el(doc, 'div', 'client-bar');
    bar.append(this.connect, this.target);
    this.empty = el(doc, 'div', 'empty');
    this.list = el(doc, 'div', 'client-list');
    this.root.append(this.heading, bar, this.empty, this.list);
  }

  /** The model was replaced (a new run): drop every card. */
  reset(): void {
    this.cards.clear();
    clear(this.list);
  }

  update(): void {
    const t = this.ctx.t();
    const model = this.ctx.model();
    const relabel = t.language !== this.language;
    this.language = t.language;
    setText(this.heading, t('client.title'));
    setText(this.connect, t('client.connect'));
    const address = mainService(model)?.address.text;
    const canConnect = address !== undefined && this.ctx.run().phase === 'running' && model.stopped === undefined;
    this.connect.disabled = !canConnect;
    setText(this.target, address !== undefined ? t('client.target', { address }) : t('client.notListening'));
    setText(this.empty, t('client.none'));
    this.empty.hidden = model.clients.size > 0;
    for (const session of model.clients.values()) {
      let card = this.cards.get(session.id);
      if (!card) {
        card = this.createCard(session.id);
        this.cards.set(session.id, card);
        this.list.append(card.root);
        this.label(card, session.id);
      } else if (relabel) this.label(card, session.id);
      this.fill(card, session);
    }
  }

  private openClient(): void {
    const model = this.ctx.model();
    const clientId = nextClientId(model);
    requestClient(model, clientId);
    this.ctx.post({ type: 'client-connect', clientId });
    this.ctx.invalidate();
  }

  private createCard(id: number): Card {
    const doc = this.ctx.doc;
    const root = el(doc, 'div', 'client-card');
    root.dataset.client = String(id);
    const head = el(doc, 'div', 'client-head');
    const label = el(doc, 'span', 'client-label');
    const state = el(doc, 'span', 'client-state');
    const disconnect = button(doc, 'client-disconnect secondary', '', () => {
      requestDisconnect(this.ctx.model(), id);
      this.ctx.post({ type: 'client-disconnect', clientId: id });
    });
    const hungUp = el(doc, 'div', 'client-hungup');
    hungUp.hidden = true;
    const again = button(doc, 'client-again', '', () => this.openClient());
    hungUp.append(el(doc, 'span', 'client-hungup-text'), again);
    head.append(label, state, disconnect);
    const log = el(doc, 'ol', 'client-log');
    const form = el(doc, 'form', 'client-form');
    const input = el(doc, 'input', 'client-input');
    input.type = 'text';
    const send = el(doc, 'button', 'client-send');
    send.type = 'submit';
    form.append(input, send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (input.value === '') return;
      const current = this.ctx.model().clients.get(id)?.state;
      // The server may hang up before the user is done typing: say so instead of greying out the controls.
      if (current !== 'connected' && current !== 'connecting') {
        log.append(el(this.ctx.doc, 'li', 'client-line note', this.ctx.t()('client.notConnected')));
        return;
      }
      // Typed before the connection is up: held until it is, so a quick Connect-type-Send loses nothing.
      if (current === 'connecting') card.queued.push(input.value);
      else this.ctx.post({ type: 'client-send', clientId: id, text: input.value });
      input.value = '';
    });
    root.append(head, log, hungUp, form);
    const card: Card = { root, label, state, log, input, send, disconnect, hungUp, again, lastSeq: 0, queued: [] };
    return card;
  }

  private label(card: Card, id: number): void {
    const t = this.ctx.t();
    setText(card.label, t('client.label', { id }));
    setText(card.send, t('client.send'));
    setText(card.disconnect, t('client.disconnect'));
    setText(card.hungUp.firstElementChild!, t('client.serverClosed'));
    setText(card.again, t('client.again'));
    card.input.placeholder = t('client.placeholder');
    for (const line of Array.from(card.log.children)) {
      const direction = (line as HTMLElement).dataset.direction;
      const tag = line.firstElementChild;
      if (tag && (direction === 'sent' || direction === 'received')) setText(tag, t(`client.${direction}`));
    }
  }

  private fill(card: Card, session: ClientSession): void {
    const t = this.ctx.t();
    setText(card.state, t(`client.state.${session.state}`));
    card.root.className = `client-card is-${session.state}`;
    card.disconnect.disabled = !(session.state === 'connected' || session.state === 'connecting');
    card.hungUp.hidden = session.closedByServer !== true;
    card.again.disabled = this.connect.disabled;
    if (session.state !== 'connecting' && card.queued.length > 0) {
      const queued = card.queued.splice(0);
      if (session.state === 'connected') for (const text of queued) this.ctx.post({ type: 'client-send', clientId: session.id, text });
      else card.log.append(el(this.ctx.doc, 'li', 'client-line note', t('client.notConnected')));
    }
    const doc = this.ctx.doc;
    for (const line of session.lines) {
      if (line.seq <= card.lastSeq) continue;
      card.lastSeq = line.seq;
      const item = el(doc, 'li', `client-line ${line.direction}`);
      item.dataset.direction = line.direction;
      const tag = line.direction === 'error' ? '✗' : t(`client.${line.direction}`);
      const shown = visibleControls(line.text, true);
      const text = shown.length > MAX_LINE_CHARS ? `${shown.slice(0, MAX_LINE_CHARS)}…` : shown;
      item.append(el(doc, 'span', 'client-line-tag', tag), el(doc, 'span', 'client-line-text', text));
      card.log.append(item);
    }
    while (card.log.childElementCount > MAX_CLIENT_LINES) card.log.firstElementChild!.remove();
  }
}
