// The descriptor table: every socket the program made, closed ones kept and dimmed.
import { clear, el, setText } from '../dom.js';
import type { PanelModel, SocketEntry } from '../model.js';
import type { StringKey } from '../strings.js';
import type { ViewContext } from './context.js';
import { sourceLink } from './problem.js';

/** Closed rows beyond this many are counted, not drawn: a connection-per-request server makes thousands. */
export const MAX_CLOSED_ROWS = 100;

/** The columns: header text, and the class their cells share (the stylesheet lays both out the same way). */
const COLUMNS: [StringKey, string][] = [
  ['fd.col.fd', 'fd-number'],
  ['fd.col.pid', 'fd-pid'],
  ['fd.col.role', 'fd-role'],
  ['fd.col.local', 'fd-local'],
  ['fd.col.peer', 'fd-peer'],
  ['fd.col.state', 'fd-state'],
  ['fd.col.tcp', 'fd-tcp'],
  ['fd.col.in', 'fd-in num'],
  ['fd.col.out', 'fd-out num'],
  ['fd.col.line', 'fd-line'],
];

/** The open rows and the newest MAX_CLOSED_ROWS closed ones, in creation order; walks back only as far as needed. */
export function visibleRows(model: Pick<PanelModel, 'sockets' | 'open' | 'closedDropped'>): { shown: SocketEntry[]; hiddenClosed: number } {
  const shown = [...model.open.values()];
  let closed = 0;
  for (let i = model.sockets.length - 1; i >= 0 && closed < MAX_CLOSED_ROWS; i--) {
    const row = model.sockets[i]!;
    if (row.state === 'closed') {
      shown.push(row);
      closed++;
    }
  }
  shown.sort((a, b) => a.id - b.id);
  return { shown, hiddenClosed: model.sockets.length - shown.length + model.closedDropped };
}

export class FdTableView {
  readonly root: HTMLElement;
  private renderedShape = -1;
  private renderedBytes = -1;
  private renderedLanguage = '';
  /** Byte cells of the drawn rows, updated in place while data flows. */
  private byteCells: { row: SocketEntry; bytesIn: HTMLElement; bytesOut: HTMLElement }[] = [];

  constructor(private readonly ctx: ViewContext) {
    this.root = el(ctx.doc, 'section', 'fd-table');
  }

  update(): void {
    const model = this.ctx.model();
    const t = this.ctx.t();
    if (model.shapeRevision === this.renderedShape && t.language === this.renderedLanguage) {
      if (model.revision !== this.renderedBytes) {
        this.renderedBytes = model.revision;
        for (const cells of this.byteCells) {
          setText(cells.bytesIn, String(cells.row.bytesIn));
          setText(cells.bytesOut, String(cells.row.bytesOut));
        }
      }
      return;
    }
    this.renderedShape = model.shapeRevision;
    this.renderedBytes = model.revision;
    this.renderedLanguage = t.language;
    const doc = this.ctx.doc;
    clear(this.root);
    this.byteCells = [];
    this.root.append(el(doc, 'h2', '', t('fd.title')));
    if (model.sockets.length === 0 && model.closedDropped === 0) {
      this.root.append(el(doc, 'div', 'empty', t('fd.none')));
      return;
    }
    const table = el(doc, 'table');
    const headRow = el(doc, 'tr');
    for (const [column, cls] of COLUMNS) headRow.append(el(doc, 'th', cls, t(column)));
    table.append(el(doc, 'thead'));
    table.tHead!.append(headRow);
    const body = el(doc, 'tbody');
    const { shown, hiddenClosed } = visibleRows(model);
    for (const row of shown) body.append(this.row(row));
    table.append(body);
    const scroller = el(doc, 'div', 'table-scroll');
    scroller.append(table);
    this.root.append(scroller);
    if (hiddenClosed > 0) this.root.append(el(doc, 'div', 'empty', t('fd.olderClosed', { count: hiddenClosed })));
  }

  /** The kernel's TCP state (tcp-state events): LISTEN with its queue, TIME_WAIT after close … */
  private tcpCell(row: SocketEntry): HTMLElement {
    const t = this.ctx.t();
    const cell = el(this.ctx.doc, 'td', 'fd-tcp');
    const tcp = row.tcp;
    if (!tcp) return cell;
    const parts: string[] = [tcp.state];
    if (tcp.acceptQueue !== undefined && tcp.backlog !== undefined) parts.push(t('fd.tcp.queue', { waiting: tcp.acceptQueue, backlog: tcp.backlog }));
    if (tcp.afterClose) parts.push(t('fd.tcp.afterClose'));
    cell.textContent = parts.join(' · ');
    cell.title = t(`tcp.${tcp.state}`);
    return cell;
  }

  private row(row: SocketEntry): HTMLTableRowElement {
    const doc = this.ctx.doc;
    const t = this.ctx.t();
    const tr = el(doc, 'tr', `fd-row role-${row.role} state-${row.state}${row.state === 'closed' ? ' is-closed' : ''}`);
    tr.dataset.fd = String(row.fd);
    tr.dataset.pid = String(row.pid);
    const fdCell = el(doc, 'td', 'fd-number');
    const fdButton = el(doc, 'button', 'fd-filter', String(row.fd));
    fdButton.type = 'button';
    fdButton.title = t('fd.filterHint');
    fdButton.addEventListener('click', () => this.ctx.filterTimeline({ fd: row.fd }));
    fdCell.append(fdButton);
    const pidCell = el(doc, 'td', 'fd-pid', String(row.pid));
    if (row.inheritedFrom !== undefined) pidCell.title = t('fd.inherited', { pid: row.inheritedFrom });
    const state = t(`state.${row.state}`) + (row.lastErrno !== undefined ? ` (${row.lastErrno})` : '');
    const bytesIn = el(doc, 'td', 'fd-in num', String(row.bytesIn));
    const bytesOut = el(doc, 'td', 'fd-out num', String(row.bytesOut));
    const lineCell = el(doc, 'td', 'fd-line');
    if (row.createdAt) lineCell.append(sourceLink(this.ctx, row.createdAt.file, row.createdAt.line, row.createdAt.function));
    tr.append(
      fdCell,
      pidCell,
      el(doc, 'td', 'fd-role', t(`role.${row.role}`)),
      el(doc, 'td', 'fd-local', row.local?.text ?? ''),
      el(doc, 'td', 'fd-peer', row.peer?.text ?? ''),
      el(doc, 'td', 'fd-state', state),
      this.tcpCell(row),
      bytesIn,
      bytesOut,
      lineCell,
    );
    this.byteCells.push({ row, bytesIn, bytesOut });
    return tr;
  }
}
