-- name: data-coverage
-- question: Which days are missing from the data?
-- description: The span of per-user data: first and last day, days in the span, days with data, and the missing days (days with no user_daily row).
-- source: starter
WITH span AS (
  SELECT min(day) AS first_day, max(day) AS last_day FROM user_daily
), calendar AS (
  SELECT CAST(d AS DATE) AS day
  FROM span, generate_series(span.first_day, span.last_day, INTERVAL 1 DAY) AS g(d)
), present AS (
  SELECT DISTINCT day FROM user_daily
)
SELECT (SELECT first_day FROM span) AS first_day,
       (SELECT last_day FROM span) AS last_day,
       count(*) AS days_in_span,
       count(p.day) AS days_with_data,
       count(*) - count(p.day) AS missing_days,
       coalesce(string_agg(strftime(c.day, '%Y-%m-%d'), ', ' ORDER BY c.day) FILTER (WHERE p.day IS NULL), '')
         AS missing
FROM calendar c
LEFT JOIN present p ON p.day = c.day
