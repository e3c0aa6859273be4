-- name: chat-model-usage
-- question: Which models are used for chat?
-- description: Per model over the last :days days, chat and agent features only (completions carry no model): distinct users and prompts sent, with each model's share of prompts.
-- source: starter
-- params: days=28
SELECT model,
       count(DISTINCT user_id) AS users,
       sum(user_initiated_interaction_count) AS interactions,
       round(sum(user_initiated_interaction_count)::DOUBLE
             / nullif(sum(sum(user_initiated_interaction_count)) OVER (), 0), 4) AS share_of_interactions
FROM user_daily_by_model_feature
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
  AND (feature LIKE 'chat%' OR feature = 'agent_edit')
GROUP BY model
ORDER BY interactions DESC, model
