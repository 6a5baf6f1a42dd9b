/**
 * Columns of the booth grids: the wall gives the floor a fixed box (in units of 1 % of the
 * screen height), and every room's grid uses the same column count so tiles line up. Picks the
 * count that gives the largest tiles with all rooms fitting, for any mix of up to 24+ booths.
 */
export function floorColumns(roomSizes: readonly number[], box: { width: number; height: number; roomHeader: number; gap: number; aspect: number }): number {
  if (roomSizes.length === 0) return 4;
  let best = 4;
  let bestSize = -1;
  const widest = Math.max(...roomSizes);
  for (let cols = 2; cols <= Math.max(2, Math.min(10, widest)); cols++) {
    const rows = roomSizes.reduce((n, size) => n + Math.ceil(size / cols), 0);
    const heightForTiles = box.height - roomSizes.length * box.roomHeader - (rows + roomSizes.length) * box.gap;
    const tileH = heightForTiles / rows;
    const tileW = (box.width - (cols - 1) * box.gap) / cols;
    // A tile is as big as its smaller side allows at the wanted aspect (width ÷ height).
    const size = Math.min(tileW / box.aspect, tileH);
    if (size > bestSize) {
      bestSize = size;
      best = cols;
    }
  }
  return best;
}
