// The queue history route (backlog and counters per interval, kept by the server for the last hour). A
// server without it answers 404: then the console says "no data yet" and stops asking.
import { cf, q } from '../api.js';

let unavailable = false;

/** {resolution_seconds, points} or null when this server keeps no history. */
export async function history(queueId, minutes) {
  if (unavailable) return null;
  try {
    return await cf.get(q(queueId) + '/metrics/history?minutes=' + minutes);
  } catch (e) {
    if (e.status === 404 || e.status === 405) {
      // 404 for an unknown queue too; only a route that is missing for a known queue counts.
      if (!/queue/i.test(e.message) || /route/i.test(e.message)) unavailable = true;
      return null;
    }
    throw e;
  }
}

/** The newest point with its resolution, or null. */
export async function latest(queueId) {
  try {
    const h = await history(queueId, 1);
    if (!h || !h.points || h.points.length === 0) return null;
    return { ...h.points[h.points.length - 1], resolution: h.resolution_seconds };
  } catch (e) {
    return null;
  }
}
