import { equalTo, inRange, solve, type Constraint } from 'yalps';

/**
 * An attacker for a published report table: knows every shown cell, that `<N` means 1 … N − 1,
 * that `x` is some count (0 or more), and the table's own relations, stated here independently of
 * the product code: each additive column's total is the sum of its days, and in every row
 * intakes = Σ substances = Σ routes. For each hidden cell it asks an integer programme (YALPS)
 * for the smallest and the largest value consistent with all that. A cell whose two agree is
 * pinned down: disclosed.
 */
export interface AttackResult {
  hidden: number;
  /** Hidden cells with their feasible range. */
  ranges: Array<{ cell: string; min: number; max: number }>;
  pinned: Array<{ cell: string; value: number }>;
}

const ADDITIVE = /^(intakes|intakes_.*|route_.*|assisted|overdoses|naloxone|ambulance_calls|medical_incidents|other_incidents|registrations|walk_aways)$/;

export async function attackTable(table: string[][], below: number): Promise<AttackResult> {
  const header = table[0]!;
  const rows = table.slice(1);
  const cols = header.map((h, i) => ({ h, i })).filter(({ h }) => ADDITIVE.test(h));
  const name = (r: number, c: number) => `v${r}_${c}`;
  const vars = new Map<string, { cell: string; lo: number; hi: number }>();
  // A term: a published number or a hidden variable.
  const term = (r: number, c: number): { v?: string; k?: number } => {
    const text = rows[r]![c]!;
    if (text === 'x' || text === `<${below}`) {
      const n = name(r, c);
      if (!vars.has(n)) vars.set(n, { cell: `${rows[r]![0]}:${header[c]}`, lo: text === 'x' ? 0 : 1, hi: text === 'x' ? 1e7 : below - 1 });
      return { v: n };
    }
    const k = Number(text);
    if (!Number.isFinite(k)) throw new Error(`unexpected cell ${text} at ${rows[r]![0]}:${header[c]}`);
    return { k };
  };
  const equations: Array<Array<{ coef: number; v?: string; k?: number }>> = [];
  const last = rows.length - 1; // the total row
  for (const { i } of cols) equations.push([...rows.slice(0, last).map((_, r) => ({ coef: 1, ...term(r, i) })), { coef: -1, ...term(last, i) }]);
  const idx = (h: string) => header.indexOf(h);
  for (let r = 0; r <= last; r++) {
    for (const prefix of ['intakes_', 'route_']) {
      const parts = header.map((h, i) => ({ h, i })).filter(({ h }) => h.startsWith(prefix));
      equations.push([...parts.map(({ i }) => ({ coef: 1, ...term(r, i) })), { coef: -1, ...term(r, idx('intakes')) }]);
    }
  }
  // Only the relations that involve a hidden cell constrain anything; hidden cells linked by
  // relations form components, each solved on its own (small programmes, same answers).
  const linked = equations.filter((eq) => eq.some((t) => t.v));
  const parent = new Map([...vars.keys()].map((v) => [v, v]));
  const find = (v: string): string => (parent.get(v) === v ? v : find(parent.get(v)!));
  for (const eq of linked) {
    const vs = eq.flatMap((t) => (t.v ? [t.v] : []));
    for (const v of vs.slice(1)) parent.set(find(v), find(vs[0]!));
  }
  const components = new Map<string, { vars: string[]; eqs: Array<{ id: string; rhs: number; terms: Array<{ v: string; coef: number }> }> }>();
  for (const v of vars.keys()) {
    const root = find(v);
    const c = components.get(root) ?? { vars: [], eqs: [] };
    c.vars.push(v);
    components.set(root, c);
  }
  linked.forEach((eq, n) => {
    const terms = eq.flatMap((t) => (t.v ? [{ v: t.v, coef: t.coef }] : []));
    const constant = eq.reduce((sum, t) => sum + (t.k !== undefined ? t.coef * t.k : 0), 0);
    components.get(find(terms[0]!.v))!.eqs.push({ id: `e${n}`, rhs: -constant, terms });
  });
  const ranges: AttackResult['ranges'] = [];
  for (const c of components.values()) {
    const constraints = new Map<string, Constraint>();
    for (const e of c.eqs) constraints.set(e.id, equalTo(e.rhs));
    for (const v of c.vars) constraints.set(`b_${v}`, inRange(vars.get(v)!.lo, vars.get(v)!.hi));
    const coefficients = (v: string) => {
      const co = new Map<string, number>([[`b_${v}`, 1]]);
      for (const e of c.eqs) for (const t of e.terms) if (t.v === v) co.set(e.id, (co.get(e.id) ?? 0) + t.coef);
      return co;
    };
    for (const v of c.vars) {
      const b = vars.get(v)!;
      if (c.eqs.length === 0) {
        ranges.push({ cell: b.cell, min: b.lo, max: b.hi });
        continue;
      }
      const bound = (direction: 'minimize' | 'maximize') => {
        const variables = new Map(c.vars.map((x) => [x, x === v ? new Map([...coefficients(x), ['obj', 1]]) : coefficients(x)]));
        const res = solve({ direction, objective: 'obj', constraints, variables, integers: true });
        if (res.status !== 'optimal') throw new Error(`attack on ${b.cell}: ${res.status}`);
        return Math.round(res.result);
      };
      ranges.push({ cell: b.cell, min: bound('minimize'), max: bound('maximize') });
    }
  }
  return { hidden: vars.size, ranges, pinned: ranges.filter((r) => r.min === r.max).map((r) => ({ cell: r.cell, value: r.min })) };
}
