-- name: lines-added-by-team
-- question: How many lines of code did each team add with Copilot?
-- description: Per team over the last :days days: lines added (accepted completions, applied blocks, agent edits), lines suggested and active members, joining teams day by day; users on several teams count in each.
-- source: starter
-- params: days=28
SELECT m.team,
       count(DISTINCT u.user_id) AS active_members,
       sum(u.loc_added_sum) AS lines_added,
       sum(u.loc_suggested_to_add_sum) AS lines_suggested
FROM user_daily u
JOIN team_membership m ON m.user_id = u.user_id AND m.day = u.day
WHERE u.day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
GROUP BY m.team
ORDER BY lines_added DESC, m.team
