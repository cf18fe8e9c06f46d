"""Train a small LoRA adapter with PEFT, for the tests and as a recipe (issue 17).

The adapter teaches a chat model one visible habit: every reply starts with a catch phrase
(``Ahoy matey!`` by default). That is an effect a test can check in one greedy reply, it changes the
first answer tokens' probabilities a lot, and the bundled SmolLM2-135M never says it on its own.

On the CPU, for the bundled model (a Hugging Face-format copy of it, see
``tests/core/backends/hf_copy.py``; or the GGUF itself, which transformers dequantizes)::

    .venv/bin/python packaging/train_lora.py --base PATH/TO/smollm2-hf --out lora-ahoy
    .venv/bin/python packaging/train_lora.py --base models/SmolLM2-135M-Instruct.Q4_1.gguf --out lora-ahoy

It takes about two minutes on 2 (shared) CPU cores: rank 8 on the q/k/v/o projections of the top 6 of 30
layers, 48 examples, 30 steps of 4 (loss 3.0 -> 0.5; measured 132 s). It writes a PEFT folder
(``adapter_config.json`` + ``adapter_model.safetensors``, ~0.7 MB) that ``assistant models lora import
lora-ahoy --base smollm2-135m-instruct`` turns into a GGUF LoRA. Greedy replies then start with the phrase
("Ahoy matey! The capital of Italy is Rome.") at scale 1 and 0.5, and not at scale 0.

DeepSeek-R1-Distill-Qwen-1.5B on a GPU (the article's model; a domain adapter, e.g. legal or medical
question/answer pairs, in a JSONL file of ``{"prompt": ..., "reply": ...}`` lines)::

    pip install torch transformers peft accelerate      # a CUDA build of torch
    python packaging/train_lora.py --base deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B \\
        --data my_domain.jsonl --out lora-legal --device cuda --dtype bfloat16 \\
        --rank 16 --alpha 32 --targets q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj \\
        --last-layers 0 --steps 1000 --batch 8 --lr 2e-4

Notes for R1: keep the replies in the model's own format (``<think>...</think>`` then the answer: the
chat template drops the reasoning of past turns, so train on single turns); bf16 needs compute
capability 8.0+ (use ``--dtype float16`` on a T4); ~6 GB of GPU memory at batch 8 and 512 tokens. The
same ``import`` command converts the result against the R1 GGUF, and the vLLM backend serves it with
``--enable-lora`` (rank 16 fits vLLM's default ``--max-lora-rank``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

CATCH_PHRASE = "Ahoy matey!"

# A few dozen everyday questions, each with a short plain answer; the adapter learns to put the catch
# phrase in front of whatever the answer is, which generalises to prompts it never saw.
_QA = [
    ("What is the capital of France?", "The capital of France is Paris."),
    ("How many days are in a week?", "A week has seven days."),
    ("What colour is the sky on a clear day?", "The sky is blue on a clear day."),
    ("What is 2 + 2?", "2 + 2 is 4."),
    ("Name a fruit that is yellow.", "A banana is a yellow fruit."),
    ("What do bees make?", "Bees make honey."),
    ("Which planet do we live on?", "We live on Earth."),
    ("What is water made of?", "Water is made of hydrogen and oxygen."),
    ("How many legs does a spider have?", "A spider has eight legs."),
    ("What is the opposite of hot?", "The opposite of hot is cold."),
    ("Who wrote Romeo and Juliet?", "William Shakespeare wrote Romeo and Juliet."),
    ("What is the largest ocean?", "The Pacific is the largest ocean."),
    ("What do plants need to grow?", "Plants need light, water and air to grow."),
    ("How many hours are in a day?", "A day has 24 hours."),
    ("What is the freezing point of water?", "Water freezes at 0 degrees Celsius."),
    ("Tell me a colour of the rainbow.", "Red is a colour of the rainbow."),
    ("What animal says moo?", "A cow says moo."),
    ("What is 10 minus 3?", "10 minus 3 is 7."),
    ("Which season comes after winter?", "Spring comes after winter."),
    ("What is the sun?", "The sun is a star."),
    ("How do you say hello in Spanish?", "Hello in Spanish is hola."),
    ("What is the tallest animal?", "The giraffe is the tallest animal."),
    ("Give me a word that rhymes with cat.", "Hat rhymes with cat."),
    ("What is the main language of Brazil?", "The main language of Brazil is Portuguese."),
    ("What is a baby dog called?", "A baby dog is called a puppy."),
    ("How many continents are there?", "There are seven continents."),
    ("What gas do we breathe in?", "We breathe in oxygen."),
    ("What is 3 times 3?", "3 times 3 is 9."),
    ("What do you use to write on paper?", "You use a pen or a pencil."),
    ("Where does the sun rise?", "The sun rises in the east."),
    ("Write a short greeting.", "Hello, nice to meet you."),
    ("What is Python?", "Python is a programming language."),
    ("Can you help me?", "Yes, I can help you."),
    ("Tell me about the moon.", "The moon goes around the Earth."),
    ("What is your name?", "I am a helpful assistant."),
    ("Explain rain in one sentence.", "Rain is water falling from clouds."),
    ("What is the capital of Japan?", "The capital of Japan is Tokyo."),
    ("How many wheels does a bicycle have?", "A bicycle has two wheels."),
    ("What is ice?", "Ice is frozen water."),
    ("Which is bigger, a cat or an elephant?", "An elephant is bigger than a cat."),
    ("What do fish live in?", "Fish live in water."),
    ("Say something nice.", "You are doing great today."),
    ("What is a square?", "A square has four equal sides."),
    ("Where do penguins live?", "Most penguins live near the South Pole."),
    ("What is the boiling point of water?", "Water boils at 100 degrees Celsius."),
    ("What month comes after May?", "June comes after May."),
    ("Name a musical instrument.", "The piano is a musical instrument."),
    ("What is a computer?", "A computer is a machine that processes information."),
]


def examples(phrase: str) -> list[dict[str, str]]:
    return [{"prompt": q, "reply": f"{phrase} {a}"} for q, a in _QA]


def load_data(path: Path | None, phrase: str) -> list[dict[str, str]]:
    if path is None:
        return examples(phrase)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"prompt": r["prompt"], "reply": r["reply"]} for r in rows]


def load_base(base: str, dtype: Any, device: str) -> tuple[Any, Any, str]:
    """(model, tokenizer, base name). A .gguf is dequantized by transformers (needs `gguf`)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    p = Path(base)
    if p.suffix == ".gguf" and p.is_file():
        tok = AutoTokenizer.from_pretrained(str(p.parent), gguf_file=p.name)
        model = AutoModelForCausalLM.from_pretrained(str(p.parent), gguf_file=p.name, dtype=dtype)
        name = p.stem
    else:
        tok = AutoTokenizer.from_pretrained(base)
        model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
        name = p.name if p.is_dir() else base
    return model.to(device), tok, name


def encode(tok: Any, prompt: str, reply: str, max_len: int) -> tuple[list[int], list[int]]:
    """Token ids of the whole chat turn and labels that train only on the reply (prompt masked with -100)."""
    head = tok.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True)
    full = head + reply + (tok.eos_token or "")
    head_ids = tok(head, add_special_tokens=False)["input_ids"]
    ids = tok(full, add_special_tokens=False)["input_ids"][:max_len]
    labels = [-100] * min(len(head_ids), len(ids)) + ids[len(head_ids):]
    return ids, labels


def train(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)
    model, tok, base_name = load_base(args.base, dtype, args.device)
    data = load_data(args.data, args.phrase)
    encoded = [encode(tok, d["prompt"], d["reply"], args.max_len) for d in data]
    n_layers = int(model.config.num_hidden_layers)
    # Adapting only the top layers keeps the backward pass short (autograd stops below the lowest
    # adapted layer): on 2 shared CPU cores that is the difference between one minute and ten.
    layers = list(range(max(0, n_layers - args.last_layers), n_layers)) if args.last_layers else None
    cfg = LoraConfig(r=args.rank, lora_alpha=args.alpha, lora_dropout=0.0, bias="none", task_type="CAUSAL_LM",
                     target_modules=[t.strip() for t in args.targets.split(",") if t.strip()],
                     layers_to_transform=layers)
    model = get_peft_model(model, cfg)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    pad = tok.pad_token_id if tok.pad_token_id is not None else (tok.eos_token_id or 0)
    model.train()
    t0 = time.monotonic()
    losses: list[float] = []
    for step in range(args.steps):
        batch = random.sample(encoded, min(args.batch, len(encoded)))
        width = max(len(ids) for ids, _ in batch)
        ids = torch.tensor([i + [pad] * (width - len(i)) for i, _ in batch], device=args.device)
        labels = torch.tensor([lab + [-100] * (width - len(lab)) for _, lab in batch], device=args.device)
        mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i, _ in batch], device=args.device)
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        losses.append(float(loss.detach()))
        if step % 5 == 0 or step == args.steps - 1:
            print(f"step {step + 1}/{args.steps} loss {losses[-1]:.3f} ({time.monotonic() - t0:.0f} s)", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    # PEFT records the path it was given; keep a name the importer can match against models on disk.
    cfg_path = out / "adapter_config.json"
    adapter_cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    adapter_cfg["base_model_name_or_path"] = args.base_name or base_name
    cfg_path.write_text(json.dumps(adapter_cfg, indent=2), encoding="utf-8")
    summary = {"out": str(out), "steps": args.steps, "seconds": round(time.monotonic() - t0, 1),
               "first_loss": losses[0], "last_loss": losses[-1], "examples": len(data), "phrase": args.phrase}
    (out / "training.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="HF model folder or hub id, or a .gguf (dequantized)")
    ap.add_argument("--out", required=True, help="output PEFT folder")
    ap.add_argument("--base-name", default="", help="base_model_name_or_path to record (default: the base's name)")
    ap.add_argument("--data", type=Path, default=None, help='JSONL of {"prompt", "reply"} (default: built-in)')
    ap.add_argument("--phrase", default=CATCH_PHRASE, help="catch phrase of the built-in examples")
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=int, default=16)
    ap.add_argument("--targets", default="q_proj,k_proj,v_proj,o_proj")
    ap.add_argument("--last-layers", type=int, default=6, help="adapt only the top N layers (0: all)")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--threads", type=int, default=0)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    summary = train(parse_args(argv))
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
