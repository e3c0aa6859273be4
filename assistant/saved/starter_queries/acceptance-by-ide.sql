-- name: acceptance-by-ide
-- question: What is the acceptance rate by IDE?
-- description: Code acceptances / code generations per IDE over the last :days days, with distinct users per IDE (the CLI is not an IDE and is not in user_daily_by_ide).
-- source: starter
-- params: days=28
SELECT ide,
       count(DISTINCT user_id) AS users,
       sum(code_generation_activity_count) AS generations,
       sum(code_acceptance_activity_count) AS acceptances,
       round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), 0), 4)
         AS acceptance_rate
FROM user_daily_by_ide
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
GROUP BY ide
ORDER BY users DESC, ide
