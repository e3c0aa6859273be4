-- name: chat-mode-breakdown
-- question: How is chat usage split across chat modes?
-- description: Per chat feature (ask, edit, agent, plan, custom, inline) over the last :days days: distinct users, prompts sent and lines added.
-- source: starter
-- params: days=28
SELECT feature,
       count(DISTINCT user_id) AS users,
       sum(user_initiated_interaction_count) AS interactions,
       sum(loc_added_sum) AS lines_added
FROM user_daily_by_feature
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
  AND (feature LIKE 'chat_panel_%' OR feature = 'chat_inline')
GROUP BY feature
ORDER BY interactions DESC, feature
