/**
 * Small-number disclosure control for a table of counts with additive relations: a row per day,
 * a total row (each additive column's total is the sum of its days), and within every row some
 * groups whose parts add up to a whole (intakes = Σ substances = Σ routes).
 *
 * Primary suppression hides every count from 1 to N − 1. That alone is reversible: a total minus
 * the published cells gives back a lone hidden cell. Secondary (complementary) suppression hides
 * more cells until every hidden cell can move: for each one there is a second table, equal to the
 * true one in every published cell, satisfying every relation, with every hidden small count
 * still between 1 and N − 1 and every other hidden count still at least N, in which that cell has
 * another value. So nobody can pin a hidden cell down from what is published — not by linear
 * algebra over the totals, nor by bounds. The proof for each cell is an explicit ±1 move
 * (a "witness"): a pair in one column, a rectangle inside a group, or a prism through the whole
 * of a group for two rows. Cells are chosen greedily: fewest and smallest counts first, totals
 * last.
 *
 * Primary cells read `<N` (1 … N − 1), secondary ones `x` (withheld, any value). Rarely no move
 * exists among bounded cells (a total of N − 1 made of N − 1 ones); then a small count is shown
 * as `x` instead of `<N` (its bound dropped), which frees the move.
 */

/** Where a cell sits: its row (days `0 … rows − 1`, then the total row `rows`) and column key. */
export interface Cell {
  row: number;
  col: string;
}

/** The relations of the table: which columns add up over days, and which groups add up within a row. */
export interface TableShape {
  /** Day rows; the total row is row index `rows`. */
  rows: number;
  /** Columns whose total row is the sum of the day rows (counts, not peaks or means). */
  additive: readonly string[];
  /** Within each row: `whole` = Σ `parts` (the whole and the parts must be additive columns). */
  groups: ReadonlyArray<{ whole: string; parts: readonly string[] }>;
}

export type Suppression = 'primary' | 'secondary';

/** Hidden cells: `"<row>:<col>"` → why. */
export type SuppressionMap = Map<string, Suppression>;

export const cellKey = (row: number, col: string): string => `${row}:${col}`;

/** One relation: Σ coefficient × cell = 0. */
export type Equation = ReadonlyArray<readonly [Cell, number]>;

/** Every linear relation of a table of this shape (for checks and for the attacker in tests). */
export function tableEquations(shape: TableShape): Equation[] {
  const out: Equation[] = [];
  const total = shape.rows;
  for (const col of shape.additive) {
    out.push([...Array.from({ length: shape.rows }, (_, r) => [{ row: r, col }, 1] as const), [{ row: total, col }, -1] as const]);
  }
  for (let r = 0; r <= total; r++) {
    for (const g of shape.groups) out.push([...g.parts.map((col) => [{ row: r, col }, 1] as const), [{ row: r, col: g.whole }, -1] as const]);
  }
  return out;
}

type Move = Array<[Cell, 1 | -1]>;

/**
 * Suppresses every count 1 … `below` − 1 (primary) and as few others as it takes (secondary) so
 * that no hidden cell can be derived. `value(row, col)` reads the true counts (totals included).
 * `below` must be at least 3: with 2, "<2" could only mean 1.
 */
export function protectTable(shape: TableShape, value: (row: number, col: string) => number, below: number): SuppressionMap {
  if (below < 3) throw new RangeError('suppression threshold must be at least 3');
  const hidden: SuppressionMap = new Map();
  const total = shape.rows;
  const rowsAll = Array.from({ length: total + 1 }, (_, r) => r);
  const isPrimary = (v: number) => v > 0 && v < below;
  for (const r of rowsAll) for (const col of shape.additive) if (isPrimary(value(r, col))) hidden.set(cellKey(r, col), 'primary');

  // What a hidden cell may do and stay consistent with what is published about it: a `<N` cell
  // stays within 1 … N − 1; an `x` cell that was large stays at least N (as if its reader knew
  // it was not small); a small count shown as `x` (`demote`) may be anything from 0.
  const shownSmall = (c: Cell, demote: boolean) => {
    const v = value(c.row, c.col);
    const k = hidden.get(cellKey(c.row, c.col));
    return isPrimary(v) && k !== 'secondary' && !demote;
  };
  const canUp = (c: Cell, demote: boolean) => (shownSmall(c, demote) ? value(c.row, c.col) < below - 1 : true);
  const canDown = (c: Cell, demote: boolean) => {
    const v = value(c.row, c.col);
    if (shownSmall(c, demote)) return v > 1;
    return isPrimary(v) ? v > 0 : v > below;
  };
  /** The move, or its opposite, if one of them keeps every cell within what is published about it. */
  const feasible = (m: Move, demote: boolean): Move | null => {
    if (m.some(([c]) => value(c.row, c.col) <= 0)) return null; // a published zero cannot move
    if (m.every(([c, s]) => (s > 0 ? canUp(c, demote) : canDown(c, demote)))) return m;
    if (m.every(([c, s]) => (s > 0 ? canDown(c, demote) : canUp(c, demote)))) return m.map(([c, s]) => [c, s > 0 ? -1 : 1]);
    return null;
  };
  /** What hiding the move's cells costs: the counts newly hidden, a total far more than a day. */
  const cost = (m: Move) =>
    m.reduce((sum, [c]) => (hidden.has(cellKey(c.row, c.col)) ? sum : sum + value(c.row, c.col) * (c.row === total ? 1_000 : 1) + 1), 0);
  // A second row's sign in a column: a day against a day moves the other way, against the total the same way.
  const partner = (r1: number, r2: number): 1 | -1 => (r1 === total || r2 === total ? 1 : -1);

  const groupsOf = (col: string) => shape.groups.filter((g) => g.parts.includes(col));
  const wholeGroups = (col: string) => shape.groups.filter((g) => g.whole === col);
  const inAnyGroup = (col: string) => groupsOf(col).length > 0 || wholeGroups(col).length > 0;

  /** Candidate moves that change cell `x`. */
  function* moves(x: Cell): Generator<Move> {
    const others = rowsAll.filter((r) => r !== x.row);
    if (!inAnyGroup(x.col)) {
      // A column on its own: a pair of rows.
      for (const r2 of others) yield [[x, 1], [{ row: r2, col: x.col }, partner(x.row, r2)]];
      return;
    }
    // Inside a group: a rectangle of two rows and two parts (the row's whole does not change).
    for (const g of groupsOf(x.col)) {
      for (const c2 of g.parts) {
        if (c2 === x.col) continue;
        for (const r2 of others) {
          const s = partner(x.row, r2);
          yield [[x, 1], [{ row: x.row, col: c2 }, -1], [{ row: r2, col: x.col }, s], [{ row: r2, col: c2 }, (-s) as 1 | -1]];
        }
      }
    }
    // Through the wholes: two rows move by one in the whole and in one part of every group of it.
    const whole = wholeGroups(x.col).length > 0 ? x.col : groupsOf(x.col)[0]?.whole;
    if (!whole) return;
    const groups = wholeGroups(whole);
    const choices = groups.map((g) => (g.parts.includes(x.col) ? [x.col] : g.parts.filter((p) => value(x.row, p) > 0)));
    const combos = choices.reduce<string[][]>((acc, list) => acc.flatMap((a) => list.map((p) => [...a, p])), [[]]);
    for (const parts of combos) {
      for (const r2 of others) {
        const s = partner(x.row, r2);
        const cols = [whole, ...parts];
        yield [...cols.map((col): [Cell, 1 | -1] => [{ row: x.row, col }, 1]), ...cols.map((col): [Cell, 1 | -1] => [{ row: r2, col }, s])];
      }
    }
  }

  const done = new Set<string>();
  const queue = [...hidden.keys()];
  while (queue.length > 0) {
    const key = queue.shift()!;
    if (done.has(key)) continue;
    const [row, col] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
    let best: Move | null = null;
    let demoted = false;
    for (const demote of [false, true]) {
      let bestCost = Infinity;
      for (const m of moves({ row, col })) {
        const ok = feasible(m, demote);
        if (!ok) continue;
        const c = cost(ok) + (demote ? 10 * ok.filter(([x]) => hidden.get(cellKey(x.row, x.col)) === 'primary').length : 0);
        if (c < bestCost) [best, bestCost] = [ok, c];
        if (c === 0) break; // already hidden: nothing more to give away
      }
      if (best) {
        demoted = demote;
        break;
      }
    }
    // With the bounds dropped a pair with the total always moves (every hidden cell is above 0).
    if (!best) throw new Error(`no complementary suppression protects ${key}`);
    for (const [c] of best) {
      const k = cellKey(c.row, c.col);
      if (!hidden.has(k) || demoted) hidden.set(k, 'secondary');
      done.add(k);
    }
  }
  return hidden;
}
