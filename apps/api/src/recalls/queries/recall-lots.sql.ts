/**
 * What the recall queries read of the lots a recall reached, written once:
 * GET /api/recalls/:id per lot, GET /api/recalls (and the dashboard) summed.
 */

/** A reached lot (`s`, its lot summary) still holds goods not sold: not destroyed, some remaining. */
export const UNSOLD = `(coalesce(s.facts->'destroyed', 'null'::jsonb) = 'null'::jsonb AND coalesce((s.facts#>>'{quantity,remaining}')::numeric, 0) > 0)`;

/**
 * The `lot.recalled` webhooks of each recall to the lot's holder's own
 * subscribers, per (recall, lot), from `lots`: a relation of (recall_id,
 * trace_code, holder). The holder's own: keys that work at that facility
 * (only OPERATOR keys name facilities); a regulator's subscription told of
 * every lot says nothing of whether the store knows.
 */
export const toldOf = (lots: string): string =>
  `SELECT l.recall_id, l.trace_code,
          count(*)::int AS subscribers,
          count(*) FILTER (WHERE d.state = 'delivered')::int AS delivered,
          min(d.settled_at) FILTER (WHERE d.state = 'delivered') AS first_delivered_at,
          count(*) FILTER (WHERE d.state IN ('pending', 'sending'))::int AS pending,
          count(*) FILTER (WHERE d.state IN ('failed', 'dead'))::int AS failed
     FROM (${lots}) AS l
     JOIN webhook_deliveries d ON d.trace_code = l.trace_code AND d.type = 'lot.recalled' AND d.facility_id = l.holder
     JOIN webhook_subscriptions ws ON ws.id = d.subscription_id
     JOIN api_keys k ON k.key_id = ws.key_id
    WHERE d.body->'data'->>'recallId' = l.recall_id AND d.facility_id = ANY (k.facility_ids)
    GROUP BY l.recall_id, l.trace_code`;
