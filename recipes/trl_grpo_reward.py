"""A TRL GRPO reward function that asks O1-Coder Studio for rewards (POST /api/reward/openrlhf).

    from trl import GRPOConfig, GRPOTrainer
    from trl_grpo_reward import o1c_reward
    trainer = GRPOTrainer(model=..., reward_funcs=o1c_reward, train_dataset=dataset, args=GRPOConfig(...))

The dataset needs a `prompt` column and a `label` column naming the problem ("mbpp/11": dataset name / external id);
TRL passes the other columns to reward functions as keyword arguments. The reward is the pass rate on the
search-visible tests, run in the app's sandbox; hidden tests never give a reward. Set O1C_URL (default
http://127.0.0.1:3000) and, when the app is not on this machine, O1C_TOKEN.
"""
import json
import os
import urllib.request


def o1c_reward(prompts, completions, label, **kwargs):
    texts = [c if isinstance(c, str) else c[-1]["content"] for c in completions]
    prompt_texts = [p if isinstance(p, str) else p[-1]["content"] for p in prompts]
    body = json.dumps({"query": [p + t for p, t in zip(prompt_texts, texts)], "prompts": prompt_texts, "labels": list(label)}).encode()
    request = urllib.request.Request(os.environ.get("O1C_URL", "http://127.0.0.1:3000") + "/api/reward/openrlhf", data=body,
                                     headers={"content-type": "application/json", **({"authorization": "Bearer " + os.environ["O1C_TOKEN"]} if os.environ.get("O1C_TOKEN") else {})})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)["rewards"]
