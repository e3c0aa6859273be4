-- name: adoption-phases
-- question: How many users are in each AI adoption phase?
-- description: Distinct users per ai_adoption_phase on each user's latest active day in the last :days days (a user counts once, in their most recent phase).
-- source: starter
-- params: days=28
SELECT coalesce(ai_adoption_phase, 'unknown') AS adoption_phase,
       max(ai_adoption_phase_number) AS phase_number,
       count(DISTINCT user_id) AS users
FROM (
  SELECT user_id, ai_adoption_phase, ai_adoption_phase_number
  FROM user_daily
  WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
  QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY day DESC) = 1
) latest
GROUP BY ALL
ORDER BY phase_number NULLS LAST, adoption_phase
