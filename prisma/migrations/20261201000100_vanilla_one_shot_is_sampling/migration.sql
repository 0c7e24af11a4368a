-- `vanilla` is now step-wise CoT under MCTS (template vanilla@2). Experiments created before ran vanilla@1: one request
-- per problem with n = search.children replies, all terminal. That is exactly the `sampling` mode with rollouts = n
-- (sampling spends its rollouts as n independent one-shot replies), so they are relabelled as such: resumes, views and
-- exports keep using the one-shot template they were grown with, and the shown budget is the one they really spent.
UPDATE "Experiment"
SET "mode" = 'sampling',
    "config" = jsonb_set(jsonb_set("config"::jsonb, '{mode}', '"sampling"'), '{search,rollouts}', "config"::jsonb -> 'search' -> 'children')
WHERE "mode" = 'vanilla';
