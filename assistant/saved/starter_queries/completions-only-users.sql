-- name: completions-only-users
-- question: Which users only use code completions?
-- description: Users active in the last :days days whose every feature row is code_completion (no chat, agent, CLI or other feature), with their active days.
-- source: starter
-- params: days=28
SELECT user_login,
       count(DISTINCT day) AS active_days,
       sum(code_acceptance_activity_count) AS acceptances
FROM user_daily_by_feature
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
GROUP BY user_login
HAVING count(*) FILTER (WHERE feature <> 'code_completion') = 0
ORDER BY active_days DESC, user_login
