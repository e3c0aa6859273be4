-- name: team-adoption
-- question: Which teams have lower adoption rates?
-- description: Per team over the last :days days: members (from team_membership, day by day), members active on a day they were in the team, and the adoption rate (active members / members); users on several teams count in each. :team='' means all teams.
-- source: starter
-- params: days=28, team=
SELECT m.team,
       count(DISTINCT m.user_id) AS members,
       count(DISTINCT m.user_id) FILTER (WHERE u.user_id IS NOT NULL) AS active_members,
       round(count(DISTINCT m.user_id) FILTER (WHERE u.user_id IS NOT NULL)::DOUBLE
             / nullif(count(DISTINCT m.user_id), 0), 4) AS adoption_rate
FROM team_membership m
LEFT JOIN user_daily u ON u.user_id = m.user_id AND u.day = m.day
WHERE m.day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
  AND m.day <= (SELECT max(day) FROM user_daily)
  AND (:team = '' OR lower(m.team) = lower(:team))
GROUP BY m.team
ORDER BY adoption_rate, m.team
