-- name: never-used-seats
-- question: Which seats have never been used?
-- description: Seats with no user_daily row in the loaded data and no last_activity_at from GitHub (the never-used-seats metric), oldest assignment first.
-- source: starter
SELECT login, organization_login, assigning_team_slug, created_at::DATE AS seat_assigned,
       pending_cancellation_date
FROM seat_usage
WHERE first_active_day IS NULL AND last_activity_at IS NULL
ORDER BY created_at, login
