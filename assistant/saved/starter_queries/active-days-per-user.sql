-- name: active-days-per-user
-- question: How many days was each user active?
-- description: Distinct active days per user over the last :days days, with first and last active day, most active first.
-- source: starter
-- params: days=28
SELECT user_login,
       count(DISTINCT day) AS active_days,
       min(day) AS first_active_day,
       max(day) AS last_active_day
FROM user_daily
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
GROUP BY user_login
ORDER BY active_days DESC, user_login
