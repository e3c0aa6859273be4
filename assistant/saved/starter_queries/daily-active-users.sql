-- name: daily-active-users
-- question: How many daily active users did we have each day?
-- description: Distinct active users and engaged users (who prompted Copilot) per day over the last :days days.
-- source: starter
-- params: days=28
SELECT day,
       count(DISTINCT user_id) AS active_users,
       count(DISTINCT user_id) FILTER (WHERE user_initiated_interaction_count > 0) AS engaged_users
FROM user_daily
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
GROUP BY day
ORDER BY day
