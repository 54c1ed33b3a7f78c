import type { Node } from 'web-tree-sitter';
import type { KnowledgeBase } from '../knowledge/schema';
import type { Assignment } from './model';

/**
 * Control and data flow facts of one function, enough to tell whether a variable's value at a point is certain:
 * the loops and branches (as offset ranges) and every write that is not a plain `x = value`.
 */

/** A part of the function that may run zero, one or many times, or only on some paths. */
interface Region {
  kind: 'loop' | 'arm' | 'switch';
  start: number;
  end: number;
  /** arm: the if statement it belongs to, and whether that if has an else. */
  owner?: IfStatement;
}

interface IfStatement {
  start: number;
  arms: Region[];
  hasElse: boolean;
}

/** A write other than `x = value`: `x++`, `x += 2`, `&x` handed to a call or stored in a pointer. */
export interface OtherWrite {
  at: number;
  kind: 'update' | 'address';
}

export interface FlowFacts {
  regions: Region[];
  writes: Map<string, OtherWrite[]>;
  /** Offsets of calls to functions the knowledge base does not know (they may change file-scope variables). */
  userCalls: number[];
  /** Variables whose address is kept in a pointer, with where that happens first. */
  aliased: Map<string, number>;
  /** A for loop's update clause (`i++`): written before the body, it runs after it. */
  updateClauses: { start: number; end: number; runsAt: number }[];
}

/** How a variable's value at a point is known. */
export type Reach =
  | { kind: 'def'; def: Assignment }
  | { kind: 'none' }
  | { kind: 'varies'; reason: 'loop' | 'branch' | 'pointer' | 'call' | 'update'; options?: Assignment[] };

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement']);
const FLOW_NODES = [
  ...LOOPS, 'if_statement', 'switch_statement', 'conditional_expression', 'update_expression', 'assignment_expression', 'pointer_expression', 'call_expression',
];
/** Bound on nested branch resolution (each level is one if statement around the write). */
const MAX_DEPTH = 8;

function unwrap(node: Node): Node {
  let n = node;
  while ((n.type === 'parenthesized_expression' || n.type === 'cast_expression') && n.namedChildCount > 0) n = n.namedChild(n.namedChildCount - 1)!;
  return n;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `&x` as an argument: a write unless the parameter points to const. */
function addressArgumentWrites(kb: KnowledgeBase, callee: string | undefined, index: number): boolean {
  const param = callee ? kb.functions.get(callee)?.params[index] : undefined;
  return !param || !/^const\b/.test(param.type.trim());
}

class FlowCollector {
  readonly facts: FlowFacts = { regions: [], writes: new Map(), userCalls: [], aliased: new Map(), updateClauses: [] };

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly isArray: (name: string) => boolean,
  ) {}

  visit(node: Node): void {
    // One call into the WASM finds the few node kinds that matter; walking every node from JS costs ten times more.
    for (const found of node.descendantsOfType(FLOW_NODES)) if (found) this.node(found);
  }

  private node(node: Node): void {
    const type = node.type;
    if (LOOPS.has(type)) {
      // A for loop's initializer runs once, before the loop: it is not part of what repeats.
      const init = type === 'for_statement' ? node.childForFieldName('initializer') : null;
      this.facts.regions.push({ kind: 'loop', start: init ? init.endIndex : node.startIndex, end: node.endIndex });
      const update = type === 'for_statement' ? node.childForFieldName('update') : null;
      if (update) this.facts.updateClauses.push({ start: update.startIndex, end: update.endIndex, runsAt: node.endIndex - 0.5 });
    } else if (type === 'if_statement') this.ifStatement(node);
    else if (type === 'switch_statement' || type === 'conditional_expression') {
      this.facts.regions.push({ kind: 'switch', start: node.startIndex, end: node.endIndex });
    } else if (type === 'update_expression') {
      const target = unwrap(node.childForFieldName('argument') ?? node);
      if (target.type === 'identifier') push(this.facts.writes, target.text, { at: node.startIndex, kind: 'update' });
    } else if (type === 'assignment_expression') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && node.childForFieldName('operator')?.text !== '=') push(this.facts.writes, left.text, { at: node.startIndex, kind: 'update' });
    } else if (type === 'pointer_expression' && node.child(0)?.text === '&') this.addressTaken(node);
    else if (type === 'call_expression') this.call(node);
  }

  private ifStatement(node: Node): void {
    const consequence = node.childForFieldName('consequence');
    const alternative = node.childForFieldName('alternative');
    const statement: IfStatement = { start: node.startIndex, arms: [], hasElse: alternative !== null };
    for (const arm of [consequence, alternative]) {
      if (!arm) continue;
      const region: Region = { kind: 'arm', start: arm.startIndex, end: arm.endIndex, owner: statement };
      statement.arms.push(region);
      this.facts.regions.push(region);
    }
  }

  private addressTaken(node: Node): void {
    const target = unwrap(node.childForFieldName('argument') ?? node);
    if (target.type !== 'identifier') return;
    let child: Node = node;
    let parent = node.parent;
    while (parent && (parent.type === 'parenthesized_expression' || parent.type === 'cast_expression')) {
      child = parent;
      parent = parent.parent;
    }
    if (parent?.type === 'argument_list') {
      const call = parent.parent;
      const callee = call?.childForFieldName('function');
      const index = parent.namedChildren.findIndex((c) => c?.equals(child));
      if (addressArgumentWrites(this.kb, callee?.type === 'identifier' ? callee.text : undefined, index)) {
        push(this.facts.writes, target.text, { at: node.startIndex, kind: 'address' });
      }
      return;
    }
    if (parent?.type === 'binary_expression' || parent?.type === 'unary_expression') return;
    if (!this.facts.aliased.has(target.text)) this.facts.aliased.set(target.text, node.startIndex);
  }

  /** Arrays passed to a call that may write them, and calls to functions of the program itself. */
  private call(node: Node): void {
    const callee = node.childForFieldName('function');
    const name = callee?.type === 'identifier' ? callee.text : undefined;
    if (!name || !this.kb.functions.has(name)) this.facts.userCalls.push(node.startIndex);
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    args.forEach((arg, index) => {
      if (arg?.type === 'identifier' && this.isArray(arg.text) && addressArgumentWrites(this.kb, name, index)) {
        push(this.facts.writes, arg.text, { at: node.startIndex, kind: 'address' });
      }
    });
  }
}

export function collectFlow(kb: KnowledgeBase, nodes: Node[], isArray: (name: string) => boolean): FlowFacts {
  const collector = new FlowCollector(kb, isArray);
  for (const node of nodes) collector.visit(node);
  collector.facts.regions.sort((a, b) => a.start - b.start);
  return collector.facts;
}

type Write = { at: number; def?: Assignment; kind: 'def' | OtherWrite['kind'] };

const inside = (r: Region, at: number): boolean => r.start <= at && at < r.end;

/**
 * What `name` holds at `use`, from the plain assignments of the function (`defs`, in document order) and the
 * flow facts. A value is a `def` only when it holds on every path to `use`.
 */
export function reachingValue(flow: FlowFacts, defs: Assignment[], name: string, use: number, global: boolean): Reach {
  const aliased = flow.aliased.get(name);
  // Once its address is kept in a pointer, any write through that pointer may change it.
  if (aliased !== undefined && aliased < use) return { kind: 'varies', reason: 'pointer' };
  const runsAt = (at: number): number => flow.updateClauses.find((u) => u.start <= at && at < u.end)?.runsAt ?? at;
  const writes: Write[] = [
    ...defs.filter((a) => a.root === name && a.path.length === 0).map((def): Write => ({ at: runsAt(def.start), def, kind: 'def' })),
    ...(flow.writes.get(name) ?? []).map((w) => ({ ...w, at: runsAt(w.at) })),
  ].sort((a, b) => a.at - b.at);
  return reach(flow, writes, use, global, 0);
}

function reach(flow: FlowFacts, writes: Write[], use: number, global: boolean, depth: number): Reach {
  if (depth > MAX_DEPTH) return { kind: 'varies', reason: 'branch' };
  let candidate: Write | undefined;
  for (const w of writes) if (w.at < use) candidate = w;
  // Inside a loop, a write anywhere in it reaches the use on the next round unless one before the use always runs.
  for (const loop of flow.regions) {
    if (loop.kind !== 'loop' || !inside(loop, use)) continue;
    if (writes.some((w) => inside(loop, w.at)) && !(candidate && inside(loop, candidate.at) && dominates(flow, candidate.at, use))) {
      return { kind: 'varies', reason: 'loop' };
    }
  }
  if (!candidate) return { kind: 'none' };
  if (!dominates(flow, candidate.at, use)) return mergeBranches(flow, writes, candidate.at, use, global, depth);
  if (candidate.kind === 'address') return { kind: 'varies', reason: 'pointer' };
  if (candidate.kind === 'update') return { kind: 'varies', reason: 'update' };
  if (global && flow.userCalls.some((c) => candidate.at < c && c < use)) return { kind: 'varies', reason: 'call' };
  return { kind: 'def', def: candidate.def! };
}

/** Every loop, branch arm or switch around `write` also holds `use`: the write runs whenever the use does. */
function dominates(flow: FlowFacts, write: number, use: number): boolean {
  return flow.regions.every((r) => !inside(r, write) || inside(r, use));
}

/**
 * The write happened in a part that may not run before `use`: the outermost such part decides. After a loop the
 * value depends on how often it ran; after an if statement it is one of what each arm leaves (and what was
 * there before, without an else).
 */
function mergeBranches(flow: FlowFacts, writes: Write[], write: number, use: number, global: boolean, depth: number): Reach {
  const outer = flow.regions.find((r) => inside(r, write) && !inside(r, use));
  if (!outer || outer.kind === 'loop') return { kind: 'varies', reason: 'loop' };
  if (outer.kind === 'switch' || !outer.owner) return { kind: 'varies', reason: 'branch' };
  const statement = outer.owner;
  const ends = statement.arms.map((arm) => arm.end - 1);
  if (!statement.hasElse) ends.push(statement.start);
  const options: Assignment[] = [];
  for (const end of ends) {
    const result = reach(flow, writes, end === statement.start ? end : end + 0.5, global, depth + 1);
    if (result.kind !== 'def') return { kind: 'varies', reason: 'branch' };
    if (!options.some((o) => o.valueText === result.def.valueText)) options.push(result.def);
  }
  if (options.length === 1) return { kind: 'def', def: options[0] };
  return { kind: 'varies', reason: 'branch', options };
}
