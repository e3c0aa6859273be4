-- name: seat-utilisation
-- question: What is our seat utilisation?
-- description: Per organization: seats, seats whose holder was active in the last :days days, and utilisation (active seats / seats), from seat_usage.
-- source: starter
-- params: days=28
SELECT organization_login,
       count(*) AS seats,
       count(*) FILTER (WHERE last_active_day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY) AS active_seats,
       round(count(*) FILTER (WHERE last_active_day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY)::DOUBLE
             / nullif(count(*), 0), 4) AS seat_utilisation
FROM seat_usage
GROUP BY organization_login
ORDER BY organization_login
