import { findPath, type Point } from './pathfinding.js';

type Grid = Parameters<typeof findPath>[0];

/**
 * The path search of monsters' many short chases and strolls. `findPath` itself now searches
 * only the window of `maxDistance` tiles around `from` with memory reused between calls, which
 * is what this function was written for; the name stays for the monster AI.
 */
export function findPathNear(grid: Grid, from: Point, to: Point, maxDistance: number): Point[] | null {
  return findPath(grid, from, to, maxDistance);
}
