-- name: top-cli-users
-- question: Who are the top Copilot CLI users by sessions?
-- description: Users with the most Copilot CLI sessions over the last :days days, with their CLI prompts, tokens and days on the CLI; the first :top.
-- source: starter
-- params: days=28, top=10
SELECT user_login,
       sum(cli_session_count) AS cli_sessions,
       sum(cli_prompt_count) AS cli_prompts,
       sum(coalesce(cli_prompt_tokens_sum, 0) + coalesce(cli_output_tokens_sum, 0)) AS cli_tokens,
       count(DISTINCT day) FILTER (WHERE used_cli) AS cli_days
FROM user_daily
WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL :days DAY
  AND (used_cli OR cli_session_count > 0)
GROUP BY user_login
ORDER BY cli_sessions DESC NULLS LAST, user_login
LIMIT :top
