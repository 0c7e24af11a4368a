#!/usr/bin/env python3
"""Train on O1-Coder Studio exports with TRL (https://github.com/huggingface/trl), as a LoRA adapter.

    python3 o1c_trl_train.py RECIPE --model BASE --data FILE.jsonl --output DIR [--init ADAPTER_DIR] [options]

RECIPE and the export it reads (`o1c export --format …`, or the files a self-play loop writes):
  sft      prompt/completion            -> SFTTrainer, a new LoRA adapter on BASE
  dpo      prompt/chosen/rejected       -> DPOTrainer; with --init (the SFT adapter) it continues that adapter and
                                           uses a frozen copy of it as the reference (TRL's "load the adapter twice")
  prm      prompt/completions/labels    -> PRMTrainer (TRL's stepwise supervision; token classification)
  tcg-sft  prompt/chosen/rejected       -> SFTTrainer on prompt + chosen (the valid generated test cases)
  tcg-dpo  prompt/chosen/rejected       -> DPOTrainer, continuing --init (the TCG SFT adapter)

--check-args validates the arguments and every record of --data, prints a JSON summary and exits before importing
TRL, so the inputs can be checked on a machine without it. Exit codes: 0 ok, 2 bad arguments or data.
The `provenance` column of every record is dropped before training (TRL's trainers would not use it).
"""
import argparse
import json
import os
import sys

RECIPES = {
    "sft": ("prompt", "completion"),
    "dpo": ("prompt", "chosen", "rejected"),
    "prm": ("prompt", "completions", "labels"),
    "tcg-sft": ("prompt", "chosen", "rejected"),
    "tcg-dpo": ("prompt", "chosen", "rejected"),
}
STARTS_FROM_ADAPTER = {"dpo", "tcg-dpo"}


class BadInput(Exception):
    pass


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipe", choices=sorted(RECIPES))
    parser.add_argument("--model", required=True, help="base model (Hugging Face id or local path)")
    parser.add_argument("--data", required=True, help="the export's JSONL file")
    parser.add_argument("--output", required=True, help="where the adapter is written")
    parser.add_argument("--init", default="", help="adapter to continue (DPO after SFT); empty for none")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--grad-accum", type=int, default=8)
    parser.add_argument("--lora-r", type=int, default=16)
    parser.add_argument("--lora-alpha", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=2048)
    parser.add_argument("--beta", type=float, default=0.1, help="DPO beta")
    parser.add_argument("--check-args", action="store_true", help="validate and exit before importing TRL")
    args = parser.parse_args(argv)
    for name in ("epochs", "batch_size", "grad_accum", "lora_r", "lora_alpha", "max_length"):
        if getattr(args, name) <= 0:
            parser.error("--%s must be > 0" % name.replace("_", "-"))
    if args.init and not os.path.isfile(os.path.join(args.init, "adapter_config.json")):
        parser.error("--init %s: no adapter_config.json there (give the previous recipe's output folder)" % args.init)
    return args


def check_data(recipe, path):
    """Every line is a JSON object with the recipe's fields; returns the record count. Raises BadInput naming file:line."""
    if not os.path.isfile(path):
        raise BadInput("--data %s: no such file" % path)
    fields = RECIPES[recipe]
    count = 0
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = "%s:%d" % (path, number)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise BadInput("%s: not JSON (%s)" % (where, error.msg))
            if not isinstance(record, dict):
                raise BadInput("%s: not a JSON object" % where)
            for field in fields:
                if field not in record:
                    raise BadInput("%s: field %s is missing (a %s recipe needs %s)" % (where, field, recipe, ", ".join(fields)))
            if recipe == "prm":
                steps, labels = record["completions"], record["labels"]
                if not isinstance(steps, list) or not isinstance(labels, list) or len(steps) != len(labels) or not steps:
                    raise BadInput("%s: completions and labels must be non-empty lists of the same length" % where)
            count += 1
    if count == 0:
        raise BadInput("--data %s: no records (the search found nothing to train on)" % path)
    return count


def load_records(path, recipe):
    from datasets import load_dataset  # noqa: PLC0415 (TRL's own dependency)

    dataset = load_dataset("json", data_files=path, split="train")
    dataset = dataset.remove_columns([c for c in dataset.column_names if c == "provenance"])
    if recipe == "tcg-sft":
        dataset = dataset.map(lambda r: {"prompt": r["prompt"], "completion": r["chosen"]}, remove_columns=["chosen", "rejected"])
    return dataset


def train(args):
    from peft import LoraConfig, PeftModel  # noqa: PLC0415
    from transformers import AutoModelForCausalLM, AutoModelForTokenClassification, AutoTokenizer  # noqa: PLC0415

    dataset = load_records(args.data, args.recipe)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    lora = LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, target_modules="all-linear", task_type="CAUSAL_LM")
    common = dict(output_dir=args.output, num_train_epochs=args.epochs, per_device_train_batch_size=args.batch_size,
                  gradient_accumulation_steps=args.grad_accum, logging_steps=1, save_strategy="no", report_to=[])
    if args.recipe in ("sft", "tcg-sft"):
        from trl import SFTConfig, SFTTrainer  # noqa: PLC0415

        config = SFTConfig(max_length=args.max_length, learning_rate=args.learning_rate or 2e-4, **common)
        trainer = SFTTrainer(model=args.model, args=config, train_dataset=dataset, processing_class=tokenizer, peft_config=lora)
    elif args.recipe in STARTS_FROM_ADAPTER:
        from trl import DPOConfig, DPOTrainer  # noqa: PLC0415

        model = AutoModelForCausalLM.from_pretrained(args.model)
        extra = {}
        if args.init:
            # Continue the SFT adapter ("train") with a frozen copy of it as the reference ("reference").
            model = PeftModel.from_pretrained(model, args.init, is_trainable=True, adapter_name="train")
            model.load_adapter(args.init, adapter_name="reference")
            extra = dict(model_adapter_name="train", ref_adapter_name="reference")
        config = DPOConfig(beta=args.beta, max_length=args.max_length, learning_rate=args.learning_rate or 5e-6, **common, **extra)
        trainer = DPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer,
                             peft_config=None if args.init else lora)
    else:
        try:
            from trl import PRMConfig, PRMTrainer  # noqa: PLC0415
        except ImportError:  # newer TRL moved it to trl.experimental
            from trl.experimental.prm import PRMConfig, PRMTrainer  # noqa: PLC0415

        model = AutoModelForTokenClassification.from_pretrained(args.model, num_labels=2)
        prm_lora = LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, target_modules="all-linear", task_type="TOKEN_CLS")
        # Our completions carry their own step framing; the separator only marks where each step's label goes.
        config = PRMConfig(step_separator="\n", max_length=args.max_length, learning_rate=args.learning_rate or 1e-4, **common)
        trainer = PRMTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer, peft_config=prm_lora)
    trainer.train()
    if args.recipe in STARTS_FROM_ADAPTER and args.init:
        trainer.model.save_pretrained(args.output, selected_adapters=["train"])
        nested = os.path.join(args.output, "train")  # PEFT writes a non-default adapter into a subfolder
        if os.path.isdir(nested):
            for name in os.listdir(nested):
                os.replace(os.path.join(nested, name), os.path.join(args.output, name))
            os.rmdir(nested)
    else:
        trainer.save_model(args.output)
    tokenizer.save_pretrained(args.output)


def main(argv):
    args = parse_args(argv)
    try:
        records = check_data(args.recipe, args.data)
    except BadInput as error:
        print("o1c_trl_train: %s" % error, file=sys.stderr)
        return 2
    summary = {"recipe": args.recipe, "model": args.model, "data": args.data, "records": records, "output": args.output, "init": args.init or None}
    print(json.dumps(summary), flush=True)
    if args.check_args:
        return 0
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
