-- name: acceptance-by-language
-- question: What is the acceptance rate by language?
-- description: Code acceptances / code generations per language over the last :days days (completions and code-block accepts), with the users who used Copilot in that language.
-- source: starter
-- params: days=28
SELECT language,
       count(DISTINCT user_id) AS users,
       sum(code_generation_activity_count) AS generations,
       sum(code_acceptance_activity_count) AS acceptances,
       round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), 0), 4)
         AS acceptance_rate
FROM user_daily_by_language_feature
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
GROUP BY language
HAVING sum(code_generation_activity_count) > 0
ORDER BY generations DESC, language
