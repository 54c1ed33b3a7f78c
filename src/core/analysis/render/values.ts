import type { Lang } from '../../knowledge/schema';
import type { ByteOrderMistake, Endpoint, HostSource, PortSource, Value } from '../model';
import { ADDRESS_CONSTANTS } from '../values';
import { ordinal, t } from './ui';

function portText(lang: Lang, port: PortSource): string {
  if (port.kind === 'number') return t(lang, 'value.port', { port: port.value });
  if (port.kind === 'argv') return t(lang, 'value.portArgv', { ordinal: ordinal(lang, port.index), index: port.index });
  return t(lang, 'value.portUnknown', { text: port.text });
}

function hostPart(host: HostSource | undefined, family: Endpoint['family'], lang: Lang): string {
  if (!host) return '?';
  if (host.kind === 'ip') return host.address.includes(':') || family === 'inet6' ? `[${host.address}]` : host.address;
  if (host.kind === 'argv') return `<argv[${host.index}]>`;
  if (host.kind === 'getaddrinfo') return host.passive ? t(lang, 'value.anyAddress') : t(lang, 'value.getaddrinfo');
  return host.text === '' ? '?' : `<${host.text}>`;
}

function portPart(port: PortSource | undefined): string {
  if (!port) return '?';
  if (port.kind === 'number') return String(port.value);
  if (port.kind === 'argv') return `<argv[${port.index}]>`;
  return `<${port.text}>`;
}

/** "0.0.0.0:9190", "0.0.0.0:<argv[1]>", "[::1]:8080"; undefined when nothing is known. */
export function endpointText(endpoint: Endpoint | undefined, lang: Lang): string | undefined {
  if (!endpoint || (!endpoint.host && !endpoint.port)) return undefined;
  return `${hostPart(endpoint.host, endpoint.family, lang)}:${portPart(endpoint.port)}`;
}

function withMistake(text: string, mistake: ByteOrderMistake | undefined, field: 'port' | 'address', lang: Lang): string {
  return mistake ? `${text} — ${t(lang, `byteOrder.${mistake}.${field}`)}` : text;
}

/** A value as a short phrase for hovers and `socklens explain --json`; undefined when nothing is known. */
export function valueText(value: Value, lang: Lang): string | undefined {
  switch (value.kind) {
    case 'number':
      return value.via ? t(lang, 'value.via', { value: String(value.value), via: value.via }) : String(value.value);
    case 'constant': {
      const address = ADDRESS_CONSTANTS[value.name];
      const base = `\`${value.name}\` = ${value.value}${address ? ` (${address.address})` : ''}`;
      return value.via ? t(lang, 'value.via', { value: base, via: value.via }) : base;
    }
    case 'flags': {
      const parts = value.parts.map((p) => (p.kind === 'constant' ? p.name : p.kind === 'number' ? String(p.value) : '?')).join(' | ');
      return value.value === undefined ? `\`${parts}\`` : `\`${parts}\` = ${value.value}`;
    }
    case 'port': {
      const text = portText(lang, value.port);
      return withMistake(value.via ? t(lang, 'value.via', { value: text, via: value.via }) : text, value.mistake, 'port', lang);
    }
    case 'ipv4':
      return withMistake(value.via ? t(lang, 'value.via', { value: value.address, via: value.via }) : value.address, value.mistake, 'address', lang);
    case 'ipv6':
      return value.via ? t(lang, 'value.via', { value: value.address, via: value.via }) : value.address;
    case 'string': {
      const text = JSON.stringify(value.value);
      return value.via ? t(lang, 'value.via', { value: text, via: value.via }) : text;
    }
    case 'size':
      return t(lang, value.terminated ? 'value.sizeString' : 'value.size', { bytes: value.bytes, of: value.of });
    case 'address': {
      const endpoint = endpointText(value.endpoint, lang);
      const struct = value.struct ? ` (struct ${value.struct})` : '';
      return endpoint ? `\`${value.variable}\`${struct} → ${endpoint}` : `\`${value.variable}\`${struct}`;
    }
    case 'pointer': {
      const target = value.target ? valueText(value.target, lang) : undefined;
      return target ? t(lang, 'value.pointerTo', { variable: value.variable, target }) : t(lang, 'value.pointer', { variable: value.variable });
    }
    case 'socket':
      return t(lang, 'value.socket', { variable: value.variable, role: t(lang, `role.${value.role}`) });
    case 'argv':
      return t(lang, 'value.argv', { ordinal: ordinal(lang, value.index), index: value.index });
    case 'misspelled':
      return t(lang, 'value.misspelled', { right: value.right });
    case 'null':
      return t(lang, 'value.null');
    case 'varies':
      return variesText(value, lang);
    case 'unknown':
      return undefined;
  }
}

/** "`i` changes in the loop", "one of 0, 5 (set differently in each branch)"; nothing after `x++`. */
function variesText(value: Extract<Value, { kind: 'varies' }>, lang: Lang): string | undefined {
  if (value.reason === 'update') return undefined;
  const options = value.options?.map((o) => valueText(o, lang));
  if (options && options.every((o): o is string => o !== undefined)) return t(lang, 'value.oneOf', { options: options.join(', '), variable: value.variable });
  return t(lang, `value.varies.${value.reason}`, { variable: value.variable });
}
