-- name: data-coverage
-- question: Which days are missing from the data?
-- description: The span of per-user data (first and last day), days with data, and the missing days inside the span (no user_daily row), as ranges.
-- source: starter
WITH present AS (
  SELECT DISTINCT day FROM user_daily
), gaps AS (
  SELECT day + 1 AS gap_start, lead(day) OVER (ORDER BY day) - 1 AS gap_end FROM present
)
SELECT (SELECT min(day) FROM present) AS first_day,
       (SELECT max(day) FROM present) AS last_day,
       (SELECT count(*) FROM present) AS days_with_data,
       coalesce(sum(date_diff('day', gap_start, gap_end) + 1), 0) AS missing_days,
       coalesce(string_agg(CASE WHEN gap_start = gap_end THEN strftime(gap_start, '%Y-%m-%d')
                                ELSE strftime(gap_start, '%Y-%m-%d') || '..' || strftime(gap_end, '%Y-%m-%d') END,
                           ', ' ORDER BY gap_start), '') AS missing
FROM gaps
WHERE gap_end >= gap_start
