/**
 * One Redis call that lists a tenant's accepted-but-unrecorded run jobs without moving their
 * payloads: for each of the first `limit` job ids of each pending state it compares the first
 * bytes of the job's data with `{"tenantId":"<id>",` (the producer writes the small fields
 * first, the payload last) and returns only the head of the matches. The queue is shared by
 * every tenant, so nothing of another tenant's job leaves Redis, and the API process never
 * holds up to `limit` payloads of up to BODY_LIMIT_BYTES each.
 *
 * KEYS: wait, paused, active (lists, newest first), prioritized, delayed (sorted sets), job key
 *       prefix (`<prefix>:executions:`, the job hashes are it plus the id)
 * ARGV: data prefix to match, limit per state, head bytes to return
 *
 * On a Redis Cluster every key here carries the queue prefix's hash tag (`{flowgate}:…`,
 * redis-topology.ts), so they share one slot, which the script's node serves. The job hashes
 * are named from KEYS[6] as BullMQ's own scripts name them from their prefix key.
 * Returns: [complete (1 when no state held more than limit), [id, head, timestamp, processedOn ('' unless active), state (1..5: the KEYS index it was found in)]...]
 */
export const PENDING_SCAN_SCRIPT = `
local limit = tonumber(ARGV[2])
local head = tonumber(ARGV[3])
local want = ARGV[1]
local found = {}
local complete = 1
local function consider(id, state)
  local job = redis.call('HMGET', KEYS[6] .. id, 'name', 'data', 'timestamp', 'processedOn')
  if job[1] == 'run' and job[2] and string.sub(job[2], 1, #want) == want then
    found[#found + 1] = { id, string.sub(job[2], 1, head), job[3] or '0', state == 3 and (job[4] or '0') or '', state }
  end
end
for i = 1, 3 do
  if redis.call('LLEN', KEYS[i]) > limit then complete = 0 end
  for _, id in ipairs(redis.call('LRANGE', KEYS[i], 0, limit - 1)) do consider(id, i) end
end
for i = 4, 5 do
  if redis.call('ZCARD', KEYS[i]) > limit then complete = 0 end
  for _, id in ipairs(redis.call('ZRANGE', KEYS[i], 0, limit - 1)) do consider(id, i) end
end
return { complete, found }
`;

export interface ScannedRun {
  id: string;
  workflowId: string;
  trigger: string;
  receivedAt: string;
  retryOf: string | null;
}

const HEAD =
  /^\{"tenantId":"[0-9a-f-]{36}","workflowId":"([0-9a-f-]{36})","trigger":"([a-z]+)","receivedAt":"([0-9T:.Z-]+)"(?:,"retryOf":"([0-9a-f-]{36})")?/;

/** The fields of a run job from the head of its data; null for a job written in another layout (before this one). */
export function parseRunHead(id: string, head: string, timestamp: string): ScannedRun | null {
  const m = HEAD.exec(head);
  if (!m) return null;
  const receivedAt = Number.isNaN(Date.parse(m[3])) ? new Date(Number(timestamp) || 0).toISOString() : m[3];
  return { id, workflowId: m[1], trigger: m[2], receivedAt, retryOf: m[4] ?? null };
}

/** Bytes of the head to return: the small fields, well short of any payload. */
export const RUN_HEAD_BYTES = 300;
