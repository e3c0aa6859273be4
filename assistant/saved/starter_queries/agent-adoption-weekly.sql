-- name: agent-adoption-weekly
-- question: How is agent mode adoption trending week by week?
-- description: Per week: distinct active users, distinct agent-mode users (used_agent) and agent adoption (agent users / active users), distinct within each week.
-- source: starter
SELECT date_trunc('week', day)::DATE AS week,
       count(DISTINCT day) AS days_with_data,
       count(DISTINCT user_id) AS active_users,
       count(DISTINCT user_id) FILTER (WHERE used_agent) AS agent_users,
       round(count(DISTINCT user_id) FILTER (WHERE used_agent)::DOUBLE / nullif(count(DISTINCT user_id), 0), 4)
         AS agent_adoption
FROM user_daily
GROUP BY week
ORDER BY week
