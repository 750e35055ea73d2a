-- title: (over the event tables) Cost per local day, user, project, agent and model
-- description: Billed usage (deduplicated, as in cost_rows) summed per local day and per
--   user, project, agent and model: the one scan the Cost and Team pages roll up from.
--   Filters apply per API response, like `dashcam costs`. Unpriced responses keep their
--   tokens and are counted; their cost is NULL, never $0. assumed_rows: responses whose
--   transcript named no model, priced under an assumed one.
--   The direct form of dash_cost_cube.sql, read while the summary tables are not current,
--   and the reference the tests hold the summary-backed form to.
-- params: tz, since, until (local dates, inclusive), user_name, project, agent, model
WITH local_usage AS (
    SELECT *, timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE AS day
    FROM billed_usage
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
)
SELECT day,
       user_name,
       coalesce(project, '(unknown)')               AS project,
       agent,
       coalesce(model, '(unknown)')                 AS model,
       count(*)                                     AS responses,
       sum(input_tokens)::BIGINT                    AS input_tokens,
       sum(output_tokens)::BIGINT                   AS output_tokens,
       sum(cache_write_tokens)::BIGINT              AS cache_creation_tokens,
       sum(cache_read_tokens)::BIGINT               AS cache_read_tokens,
       sum(total_tokens)::BIGINT                    AS total_tokens,
       sum(cost_usd)                                AS cost_usd,
       count(*) FILTER (WHERE cost_usd IS NULL)     AS unpriced_rows,
       coalesce(sum(total_tokens) FILTER (WHERE cost_usd IS NULL), 0)::BIGINT AS unpriced_tokens,
       sum(cache_savings_usd)                       AS cache_saved_usd,
       count(*) FILTER (WHERE estimated)            AS estimated_rows,
       count(*) FILTER (WHERE model_assumed)        AS assumed_rows
FROM local_usage
WHERE ($since IS NULL OR day >= $since::DATE)
  AND ($until IS NULL OR day <= $until::DATE)
GROUP BY ALL
ORDER BY day, user_name, project, agent, model
