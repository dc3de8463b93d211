/**
 * Where a callgrind window's instructions went, per request: exclusive (self) counts summed by function and by
 * kind (JavaScript, V8's compilers, GC, builtins, Node's C++, libuv, libc). callgrind_annotate cannot do this for
 * Node: JIT-compiled JavaScript has no symbols, so its cost shows as anonymous addresses. With `--perf-basic-prof`
 * Node writes /tmp/perf-<pid>.map (start, size, name of each code object) and the addresses are named from it.
 */
import { readFileSync } from 'node:fs';

interface PerfSymbol {
  start: number;
  end: number;
  name: string;
}

/**
 * The window's totals per request of every event the dump holds (its `events:` and `summary:` lines): Ir alone by
 * default; with `--cache-sim=yes --branch-sim=yes` also the simulated cache misses (I1mr, D1mr, D1mw, ILmr, DLmr,
 * DLmw) and branches and mispredictions (Bc, Bcm, Bi, Bim).
 */
export function eventsPerRequest(text: string, requests: number): Record<string, number> {
  const names = /^events:\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const totals = (/^(?:summary|totals):\s+(.*)$/m.exec(text)?.[1] ?? '').trim().split(/\s+/).map(Number);
  const out: Record<string, number> = {};
  names.forEach((name, i) => (out[name] = (totals[i] ?? Number.NaN) / requests));
  return out;
}

/** Self cost per function of a callgrind out file (name compression `(id) name` resolved; call costs skipped). */
export function selfCosts(text: string): Map<string, { cost: number; object: string }> {
  const names = new Map<string, string>();
  const objects = new Map<string, string>();
  const costs = new Map<string, { cost: number; object: string }>();
  let fn = '';
  let object = '';
  let callCostNext = false;
  const define = (table: Map<string, string>, rest: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(rest);
    if (!m) return rest;
    const [, id = '', name] = m;
    if (name !== undefined) table.set(id, name);
    return table.get(id) ?? id;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('ob=')) object = define(objects, line.slice(3));
    else if (line.startsWith('fn=')) fn = define(names, line.slice(3));
    else if (line.startsWith('cfn=')) define(names, line.slice(4));
    else if (line.startsWith('cob=')) define(objects, line.slice(4));
    else if (line.startsWith('calls=')) callCostNext = true;
    else if (/^[0-9+*-]/.test(line)) {
      // The line after `calls=` is the inclusive cost of that call, not this function's own work.
      if (callCostNext) {
        callCostNext = false;
        continue;
      }
      const cost = Number(line.split(' ')[1] ?? 0);
      const entry = costs.get(fn);
      if (entry) entry.cost += cost;
      else costs.set(fn, { cost, object });
    }
  }
  return costs;
}

/** Node's perf map (`--perf-basic-prof`), sorted by address. */
export function readPerfMap(file: string): PerfSymbol[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const symbols: PerfSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (!m) continue;
    const start = Number.parseInt(m[1] ?? '', 16);
    symbols.push({ start, end: start + Number.parseInt(m[2] ?? '', 16), name: m[3] ?? '' });
  }
  return symbols.sort((a, b) => a.start - b.start);
}

function symbolAt(symbols: PerfSymbol[], address: number): string | undefined {
  let lo = 0;
  let hi = symbols.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = symbols[mid] as PerfSymbol;
    if (address < s.start) hi = mid - 1;
    else if (address >= s.end) lo = mid + 1;
    else return s.name;
  }
  return undefined;
}

function kindOf(fn: string, object: string): string {
  if (fn.startsWith('JS:') || fn.startsWith('LazyCompile:') || fn.startsWith('Function:')) return 'JavaScript (JIT code)';
  if (/^0x[0-9a-f]+$/.test(fn) || object.includes('???')) return 'JIT code, not named';
  if (/compiler::|Compiler::|baseline::|interpreter::|Runtime_Compile/.test(fn)) return 'V8 compilers';
  if (/Heap|Scaveng|MarkCompact|Marking|Sweeper|GCTracer|Evacuat|IterateObjectCache|RememberedSet|SlotSet|MemoryAllocator/.test(fn)) {
    return 'V8 GC and heap';
  }
  if (fn.startsWith('Builtins_')) return 'V8 builtins (ICs, string, regexp, ...)';
  if (fn.startsWith('v8::')) return 'V8 runtime (API, factory, C++ builtins)';
  if (fn.includes('node::')) return "Node's C++ (streams, wraps, callbacks)";
  if (fn.startsWith('uv_') || fn.startsWith('uv__') || object.includes('libuv')) return 'libuv';
  if (object.includes('libc.so') || object.includes('ld-linux')) return 'libc (malloc, memcpy, ...)';
  return 'other';
}

/** A per-request table: instructions by kind, then the `top` functions by self count. */
export function breakdown(text: string, requests: number, perfMapFile?: string, top = 30): string {
  const symbols = perfMapFile ? readPerfMap(perfMapFile) : [];
  const byFunction = new Map<string, { cost: number; kind: string }>();
  for (const [raw, { cost, object }] of selfCosts(text)) {
    const name = /^0x[0-9a-f]+$/.test(raw) ? (symbolAt(symbols, Number.parseInt(raw, 16)) ?? raw) : raw;
    const entry = byFunction.get(name);
    if (entry) entry.cost += cost;
    else byFunction.set(name, { cost, kind: kindOf(name, object) });
  }
  const byKind = new Map<string, number>();
  for (const { cost, kind } of byFunction.values()) byKind.set(kind, (byKind.get(kind) ?? 0) + cost);
  const per = (n: number): string =>
    Math.round(n / requests)
      .toLocaleString('en')
      .padStart(9);
  const lines = ['instructions/request by kind (self counts):'];
  for (const [kind, cost] of [...byKind].sort((a, b) => b[1] - a[1])) lines.push(`${per(cost)}  ${kind}`);
  lines.push(`top ${top} functions (self, per request):`);
  for (const [name, { cost }] of [...byFunction].sort((a, b) => b[1].cost - a[1].cost).slice(0, top)) {
    lines.push(`${per(cost)}  ${name.slice(0, 140)}`);
  }
  return lines.join('\n');
}
