/**
 * A sliding-window limit over one sender's recent actions: true (and the action is counted)
 * when fewer than `limit` happened in the last `windowMs`. `times` is the sender's own list.
 */
export function allowAction(times: number[], now: number, limit: number, windowMs: number): boolean {
  while (times.length > 0 && times[0]! <= now - windowMs) times.shift();
  if (times.length >= limit) return false;
  times.push(now);
  return true;
}
