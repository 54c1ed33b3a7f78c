// Tiny DOM helpers. Text always goes in through textContent: program and network data is never parsed as HTML.

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function clear(node: Element): void {
  while (node.lastChild) node.removeChild(node.lastChild);
}

export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** Text with `code spans` as <code> elements; everything else stays text (never parsed as HTML). */
export function withCode(doc: Document, node: HTMLElement, text: string): HTMLElement {
  text.split('`').forEach((part, i, parts) => {
    if (part === '') return;
    // an odd part is inside backticks, unless the last backtick has no partner
    const isCode = i % 2 === 1 && i < parts.length - 1;
    node.append(isCode ? el(doc, 'code', '', part) : doc.createTextNode(i % 2 === 1 ? `\`${part}` : part));
  });
  return node;
}

export function button(doc: Document, className: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = el(doc, 'button', className, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}
