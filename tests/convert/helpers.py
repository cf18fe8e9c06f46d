"""Reference models and comparisons for the converter tests (torch/transformers are test-only)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.convert.tokenizer import LLAMA3_REGEX, QWEN2_REGEX

R1_SPECIALS = ["<｜end▁of▁sentence｜>", "<｜begin▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<｜▁pad▁｜>"]

# Training text for the small tokenizers: every script and symbol class the corpus tests use, so the
# merges cover multi-byte characters too.
TRAIN_TEXT = [
    "The quick brown fox jumps over the lazy dog. It's a truth universally acknowledged, isn't it?",
    "We've been told they'll arrive at 10:30; I'd say we're late. You're right, she's here.",
    "Machine learning models are trained on large amounts of text and then fine-tuned for chat.",
    "人工智能正在改变世界。我想在苹果公司工作一千三百一十四天。今天天气很好，我们去公园散步吧。",
    "请逐步推理，并将最终答案放在\\boxed{}内。中华人民共和国成立于1949年。北京是中国的首都。",
    "数学：三角形的内角和是一百八十度。计算 12 + 34 = 46，然后 46 × 2 = 92。",
    "Let x = 3.14159 and y = 2.71828; then x*y ≈ 8.5397 and x^2 + y^2 = 17.26.",
    "\\int_0^1 x^2 \\, dx = \\frac{1}{3}, \\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}",
    "∀ε>0 ∃δ>0: |x−a|<δ ⇒ |f(x)−f(a)|<ε. √2 ≈ 1.41421356, 1e-10, 6.02e23, 0x1F",
    "def fibonacci(n: int) -> int:\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n",
    "for (int i = 0; i < 10; ++i) { printf(\"%d\\n\", i); }  // C loop\n\tif (a != b && c >= d) return;",
    "import numpy as np\narr = np.zeros((3, 4), dtype=np.float32)  # comment\nprint(arr.shape)",
    "Emoji: 🚀 🦙🦙 😶‍🌫️ ✅ 👍🏽 🇨🇳 🇺🇸 ❤️ 🙂 — and accents: café, naïve, Ærøskøbing, Größe.",
    "Привет, как дела? Ελληνικά. العربية. हिन्दी. 日本語のテキストも少し。한국어 문장도 있어요.",
    "   leading spaces\n\n\nmultiple newlines\t\ttabs  and  double  spaces   ",
    "<think>\nLet me reason step by step.\n</think>\n\nThe answer is \\boxed{42}.",
] * 4

CORPUS = [
    "Hello world! The quick brown fox jumps over the lazy dog.",
    "I've been 'told he's there, 'RE you sure? 'M not sure I'll make it, 'D you like some tea? We'Ve a'lL",
    "Tokenizers split text into pieces; numbers like 1234567 and 3.14 are split too.",
    "人工智能是计算机科学的一个分支。我想在apple工作1314151天～",
    "请逐步推理，并将最终答案放在\\boxed{}内。",
    "设 f(x) = x² + 2x + 1，求 f(3) 的值。答案：16。",
    "Solve: 2x + 3 = 11 ⇒ x = 4. Also ∑_{k=1}^{n} k = n(n+1)/2, and e^{iπ} + 1 = 0.",
    "\\frac{d}{dx} \\sin(x) = \\cos(x); \\lim_{x \\to 0} \\frac{\\sin x}{x} = 1",
    "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n    return a + b\n\nprint(add(2, 3))  # 5\n",
    "const xs = [1, 2, 3].map(x => x * 2);\nif (xs.length !== 3) { throw new Error('bad'); }",
    "    indented code\n\t\ttabbed\n\n\n   trailing   ",
    "Emoji: 🚀 (normal) 😶‍🌫️ (multiple emojis concatenated) ✅ 🦙🦙 👨‍👩‍👧‍👦 🇯🇵",
    "Mixed 中文 and English, 数字123和emoji🎉混在一起。",
    "\n \n\n \n\n\n \t \t\t \t\n  \n   \n    \n     \n",
    "3 33 333 3333 33333 333333 3333333 33333333 3.3 3..3 3...3",
    "------======= нещо на Български ''''''```````\"\"\"\"......!!!!!!??????",
    "Ünïcödé àccents: façade, jalapeño, smörgåsbord, Zürich.",
]

CHKTXT = (
    "\n \n\n \n\n\n \t \t\t \t\n  \n   \n    \n     \n🚀 (normal) 😶\u200d🌫️ (multiple emojis concatenated) ✅ "
    "🦙🦙 3 33 333 3333 33333 333333 3333333 33333333 3.3 3..3 3...3 កាន់តែពិសេសអាច😁 ?我想在apple工作1314151天～ "
    "------======= нещо на Български ''''''```````\"\"\"\"......!!!!!!?????? I've been 'told he's there, 'RE you "
    "sure? 'M not sure I'll make it, 'D you like some tea? We'Ve a'lL"
)
# sha256 of str(token ids of CHKTXT) for SmolLM's tokenizer, from llama.cpp's convert_hf_to_gguf.py
SMOLLM_CHKHSH = "855059429035d75a914d1eda9f10a876752e281a054a7a3d421ef0533e5b6249"


def train_tokenizer(
    out: Path, *, style: str, vocab_size: int, chat_template: str, n_vocab_model: int | None = None,
) -> int:
    """Train a small byte-level BPE tokenizer (``style`` "qwen2-r1" or "llama3") and save it the way
    Hugging Face model folders do. Returns the number of tokens (model vocab + added tokens)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    regex = QWEN2_REGEX if style == "qwen2-r1" else LLAMA3_REGEX
    tok = Tokenizer(models.BPE(ignore_merges=style == "llama3"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(regex), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False, min_frequency=2)
    tok.train_from_iterator(TRAIN_TEXT, trainer)
    if style == "qwen2-r1":
        specials = R1_SPECIALS
        bos, eos, pad = specials[1], specials[0], specials[0]
    else:
        specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
        bos, eos, pad = specials[0], specials[4], None
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    # R1's reasoning tags are ordinary added tokens (special=False), as in DeepSeek's tokenizer.json.
    tok.add_tokens([AddedToken(s, special=False, normalized=False) for s in ("<think>", "</think>")])
    bos_id = tok.token_to_id(bos)
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, bos_id)]),
    ])
    out.mkdir(parents=True, exist_ok=True)
    tok.save(str(out / "tokenizer.json"))
    cfg: dict[str, Any] = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "add_bos_token": True,
        "add_eos_token": False,
        "bos_token": bos,
        "eos_token": eos,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 131072,
        "chat_template": chat_template,
        "legacy": True,
    }
    if pad:
        cfg["pad_token"] = pad
    (out / "tokenizer_config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2), encoding="utf-8")
    return int(tok.get_vocab_size(with_added_tokens=True))


def randomize_(model: Any, seed: int) -> None:
    """Random values for parameters transformers initialises to constants (norm weights 1, biases 0),
    so a swapped or dropped norm/bias in the conversion changes the logits."""
    import torch

    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.ndim == 1:
                p.copy_(1.0 + 0.5 * torch.randn(p.shape, generator=g) if "norm" in name
                        else 0.5 * torch.randn(p.shape, generator=g))


def llama_logits(llm: Any, tokens: Sequence[int]) -> np.ndarray:
    """Logits for every position from a Llama(logits_all=True)."""
    llm.reset()
    llm.eval(list(tokens))
    return np.array(llm.scores[: len(tokens)], dtype=np.float32)


def hf_logits(model: Any, tokens: Sequence[int]) -> np.ndarray:
    import torch

    with torch.no_grad():
        return model(torch.tensor([list(tokens)])).logits[0].float().numpy()


def llama_greedy(llm: Any, prompt: Sequence[int], n: int) -> list[int]:
    llm.reset()
    llm.eval(list(prompt))
    out: list[int] = []
    for _ in range(n):
        tok = int(np.argmax(llm.scores[llm.n_tokens - 1]))
        out.append(tok)
        llm.eval([tok])
    return out


def hf_greedy(model: Any, prompt: Sequence[int], n: int) -> list[int]:
    import torch

    with torch.no_grad():
        out = model.generate(torch.tensor([list(prompt)]), max_new_tokens=n, min_new_tokens=n, do_sample=False,
                             pad_token_id=0)
    return [int(t) for t in out[0, len(prompt):]]


def open_llama(path: Path, n_ctx: int = 512) -> Any:
    """llama.cpp with an f32 KV cache, so that comparisons see the weights, not cache rounding.

    One thread: ggml's worker threads spin at every barrier, which is many times slower than one
    thread when the test machine's cores are shared with other work.
    """
    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp = llama_cpp_module()

    return llama_cpp.Llama(model_path=str(path), n_ctx=n_ctx, n_batch=n_ctx, logits_all=True, verbose=False,
                           n_threads=1, n_threads_batch=1, type_k=0, type_v=0, seed=0)


def log_softmax(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))
