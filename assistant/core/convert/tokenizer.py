"""Tokenizer metadata for the GGUF: byte-level BPE vocabulary, token types, merges, special tokens,
add-BOS flag, chat template, and the pre-tokenizer name llama.cpp expects.

Merges, special-token ids, add-BOS/EOS flags and the chat template come from gguf-py's
``SpecialVocab`` (the code llama.cpp's own converter uses), so they match llama.cpp's results.

The pre-tokenizer name: llama.cpp's converter tokenizes a probe string with transformers and looks
the hash of the ids up in a table, which needs transformers at run time and fails on any tokenizer
not in its table. The name only selects the split regex llama.cpp applies before BPE, so we read the
regex straight from tokenizer.json and pick the name whose llama.cpp regex is the same. For the
models this app targets that gives the same names as llama.cpp's table (SmolLM2 -> ``smollm``,
Qwen2.5 -> ``qwen2``, DeepSeek-R1-Distill-Qwen -> ``deepseek-r1-qwen``, Llama 3 /
DeepSeek-R1-Distill-Llama -> ``llama-bpe``; the SmolLM2 case is checked in the tests against
llama.cpp's hash).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.convert.hf import ModelSpec
from assistant.core.errors import InvalidModelError, UnsupportedModelError

log = logging.getLogger(__name__)

# The split regexes as they appear in tokenizer.json (Split pre-tokenizer, before a ByteLevel step
# that does not split again). llama.cpp's QWEN2 and LLAMA3 pre-types implement exactly these.
_CONTRACTIONS = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|"
_REST = r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2_REGEX = _CONTRACTIONS + r"\p{N}" + _REST  # digits one by one
LLAMA3_REGEX = _CONTRACTIONS + r"\p{N}{1,3}" + _REST  # digits in groups of up to three
R1_BOS = "<｜begin▁of▁sentence｜>"

# gguf token types (llama.cpp's llama_token_type)
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


@dataclass
class VocabInfo:
    tokens: list[str]
    types: list[int]
    pre: str
    special: Any  # gguf.SpecialVocab
    add_bos: bool
    add_eos: bool
    n_added: int

    @property
    def chat_template(self) -> str | None:
        tmpl = self.special.chat_template
        return tmpl if isinstance(tmpl, str) else None


def _looks_special(text: str) -> bool:
    # Added tokens some models forget to flag as special (same heuristic as llama.cpp's converter).
    return (
        text in ("<pad>", "<mask>", "<2mass>", "[@BOS@]")
        or (text.startswith("<|") and text.endswith("|>"))
        or (text.startswith("<｜") and text.endswith("｜>"))
        or (text.startswith("<unused") and text.endswith(">"))
    )


def _steps(pre: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not pre:
        return []
    if pre.get("type") == "Sequence":
        out: list[dict[str, Any]] = []
        for p in pre.get("pretokenizers", []):
            out += _steps(p)
        return out
    return [pre]


def identify_pre_tokenizer(tok: dict[str, Any], *, bos_text: str | None, add_bos: bool, path: Path) -> str:
    """The llama.cpp pre-tokenizer name for this tokenizer.json (see the module docstring)."""
    steps = _steps(tok.get("pre_tokenizer"))
    kinds = [s.get("type") for s in steps]
    if kinds == ["Split", "ByteLevel"] and steps[1].get("use_regex", True) is False:
        pattern = (steps[0].get("pattern") or {}).get("Regex")
        if steps[0].get("behavior") == "Isolated" and not steps[0].get("invert"):
            if pattern == QWEN2_REGEX:
                # DeepSeek's R1 distills of Qwen add their BOS; llama.cpp names that variant separately.
                return "deepseek-r1-qwen" if add_bos and bos_text == R1_BOS else "qwen2"
            if pattern == LLAMA3_REGEX:
                return "llama-bpe"
    if kinds == ["Digits", "ByteLevel"] and steps[0].get("individual_digits") and steps[1].get("use_regex", True):
        return "smollm"
    if kinds == ["ByteLevel"] and steps[0].get("use_regex", True):
        return "gpt-2"
    raise UnsupportedModelError(
        path, f"its tokenizer splits text in a way llama.cpp does not implement ({json.dumps(steps)[:200]})",
        hint="Supported tokenizers: Qwen2 / DeepSeek-R1, Llama 3, SmolLM and GPT-2 style byte-level BPE.",
    )


def build_vocab(spec: ModelSpec) -> VocabInfo:
    """Read tokenizer.json (+ tokenizer_config.json) and produce everything the GGUF needs."""
    import gguf

    src = spec.src
    tj = src / "tokenizer.json"
    if not tj.is_file():
        extra = " (it has a SentencePiece tokenizer.model)" if (src / "tokenizer.model").is_file() else ""
        raise InvalidModelError(
            src, f"tokenizer.json is missing{extra}",
            hint="Only models with a byte-level BPE tokenizer.json (Llama 3, Qwen2, SmolLM…) can be converted.",
        )
    try:
        tok = json.loads(tj.read_text(encoding="utf-8"))
        model = tok["model"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidModelError(tj, f"it is not a valid tokenizer file ({exc})") from exc
    if model.get("type") != "BPE" or not isinstance(model.get("vocab"), dict):
        raise UnsupportedModelError(tj, f"its tokenizer is {model.get('type')!r}; only byte-level BPE is supported")

    vocab: dict[str, int] = dict(model["vocab"])
    added = {int(a["id"]): a for a in tok.get("added_tokens", [])}
    reverse: dict[int, str] = {i: t for t, i in vocab.items()}
    for i, a in added.items():
        reverse[i] = a["content"]
    n_vocab = spec.vocab_size
    if reverse and max(reverse) >= n_vocab:
        raise InvalidModelError(src, f"the tokenizer has token id {max(reverse)} but the model only "
                                     f"has {n_vocab} embeddings")

    tokens: list[str] = []
    types: list[int] = []
    for i in range(n_vocab):
        text = reverse.get(i)
        if text is None:
            # The embedding matrix is often padded past the tokenizer (Qwen: 151936 vs 151665).
            tokens.append(f"[PAD{i}]")
            types.append(UNUSED)
        elif i in added:
            if added[i].get("special") or _looks_special(text):
                types.append(CONTROL)
            else:
                # e.g. R1's <think>/</think>: matched in plain text by both HF and llama.cpp.
                text = text.replace("\u2581", " ")
                types.append(USER_DEFINED)
            tokens.append(text)
        else:
            tokens.append(text)
            types.append(NORMAL)

    special = gguf.SpecialVocab(src, load_merges=True, n_vocab=n_vocab)
    if not special.merges:
        raise InvalidModelError(tj, "it has no BPE merges")
    cfg_path = src / "tokenizer_config.json"
    tcfg: dict[str, Any] = {}
    if cfg_path.is_file():
        try:
            tcfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        except ValueError:
            tcfg = {}
    bos_id = special.special_token_ids.get("bos")
    bos_text = reverse.get(bos_id) if bos_id is not None else None
    add_bos_known = special.add_special_token.get("bos")
    pre = identify_pre_tokenizer(tok, bos_text=bos_text, add_bos=bool(add_bos_known), path=tj)
    # Written explicitly either way; when the files do not say, use llama.cpp's default for this
    # pre-tokenizer (Llama 3 adds BOS, the others do not), so behaviour equals a file without the key.
    add_bos = bool(add_bos_known) if add_bos_known is not None else pre == "llama-bpe"
    add_eos = bool(special.add_special_token.get("eos", False))
    if bos_id is None and add_bos:
        raise InvalidModelError(tj, "the tokenizer adds a BOS token but does not say which one")
    if special.chat_template is None and isinstance(tcfg.get("chat_template"), str):
        special.chat_template = tcfg["chat_template"]
    return VocabInfo(tokens=tokens, types=types, pre=pre, special=special, add_bos=add_bos, add_eos=add_eos,
                     n_added=len(added))


def write_vocab(writer: Any, info: VocabInfo) -> None:
    """Add the tokenizer keys to a gguf.GGUFWriter."""
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(info.pre)
    writer.add_token_list(info.tokens)
    writer.add_token_types(info.types)
    special = info.special
    # SpecialVocab writes merges, special ids, the add_* flags it found and the chat template;
    # add_bos/add_eos are left to us because we always write them (see build_vocab).
    special.add_special_token = {k: v for k, v in special.add_special_token.items() if k not in ("bos", "eos")}
    special.add_to_gguf(writer, quiet=True)
    writer.add_add_bos_token(info.add_bos)
    writer.add_add_eos_token(info.add_eos)
