-- name: inactive-seats
-- question: Which seats had no Copilot activity in the last 30 days?
-- description: Seats whose holder has no user_daily row in the last :days days (or never), with the last active day and GitHub's own last activity timestamp.
-- source: starter
-- params: days=30
SELECT login, organization_login, assigning_team_slug, created_at::DATE AS seat_assigned,
       last_active_day, last_activity_at::DATE AS github_last_activity, active_days
FROM seat_usage
WHERE last_active_day IS NULL
   OR last_active_day <= (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
ORDER BY last_active_day NULLS FIRST, login
