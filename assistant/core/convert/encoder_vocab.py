"""Encoder vocabularies for the GGUF: WordPiece (BERT) and SentencePiece Unigram (XLM-RoBERTa, e5, bge-m3).

Both are read from ``tokenizer.json`` (the file every Hugging Face embedding model has), written the way
llama.cpp's own converter writes them (``conversion/bert.py``) and its tokenizers read them:

- WordPiece -> ``tokenizer.ggml.model = "bert"``: llama.cpp's WPM tokenizer wants SentencePiece-style
  "phantom space" pieces: a word-initial piece gets a leading U+2581, a ``##`` continuation loses its
  ``##``; control tokens stay as they are. Lower-casing and accent stripping follow the BertNormalizer's
  settings (``tokenizer.ggml.normalizer.*``; llama.cpp's default is *not* to lower-case).
  [CLS] is written as BOS and [SEP] as the separator llama.cpp appends.
- Unigram -> ``"t5"`` (llama.cpp's UGM tokenizer): pieces with their scores, the normaliser's
  ``precompiled_charsmap`` (NFKC-like folding, e.g. full-width ``，`` -> ``,``), whether a space is
  prefixed and repeated spaces collapsed; ``<s> … </s>`` added around each text. Token ids are the
  tokenizer.json ids (which already include XLM-R's fairseq offset); rows of the embedding past the
  tokenizer are ``[PADn]`` UNUSED pieces, as llama.cpp's converter pads them.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.convert.hf import ModelSpec
from assistant.core.convert.tokenizer import CONTROL, NORMAL, UNKNOWN, UNUSED, USER_DEFINED
from assistant.core.errors import InvalidModelError, UnsupportedModelError

_SPECIAL_NAMES = ("bos", "eos", "unk", "sep", "pad", "cls", "mask")
# tokenizer.ggml.* key of each special id (llama.cpp spells "seperator").
_ID_KEYS = {"bos": "bos_token_id", "eos": "eos_token_id", "unk": "unknown_token_id", "sep": "seperator_token_id",
            "pad": "padding_token_id", "cls": "cls_token_id", "mask": "mask_token_id"}


@dataclass
class EncoderVocab:
    model: str  # "bert" (WordPiece) | "t5" (Unigram)
    tokens: list[str]
    types: list[int]
    scores: list[float] | None
    special_ids: dict[str, int]
    add_bos: bool
    add_eos: bool
    lowercase: bool = False
    strip_accents: bool = False
    charsmap: bytes = b""
    add_space_prefix: bool = True
    remove_extra_whitespaces: bool = False
    # the decoder pipeline's VocabInfo protocol: a plan's size estimate and describe_plan read these
    pre: str = "default"
    special: Any = field(default=None, repr=False)
    n_added: int = 0

    @property
    def chat_template(self) -> str | None:
        return None

    def write(self, w: Any) -> None:
        w.add_tokenizer_model(self.model)
        w.add_tokenizer_pre(self.pre)
        w.add_token_list(self.tokens)
        if self.scores is not None:
            w.add_token_scores(self.scores)
        w.add_token_types(self.types)
        for name, tid in sorted(self.special_ids.items()):
            w.add_uint32(f"tokenizer.ggml.{_ID_KEYS[name]}", tid)
        w.add_add_bos_token(self.add_bos)
        w.add_add_eos_token(self.add_eos)
        if self.model == "bert":
            w.add_bool("tokenizer.ggml.normalizer.lowercase", self.lowercase)
            w.add_bool("tokenizer.ggml.normalizer.strip_accents", self.strip_accents)
        else:
            w.add_add_space_prefix(self.add_space_prefix)
            w.add_remove_extra_whitespaces(self.remove_extra_whitespaces)
            if self.charsmap:
                w.add_precompiled_charsmap(self.charsmap)


class _NoMerges:
    """Stands in for gguf.SpecialVocab where the plan's size estimate reads ``.merges``."""

    merges: list[str] = []  # noqa: RUF012 - read-only
    chat_template = None


def build_encoder_vocab(spec: ModelSpec) -> EncoderVocab:
    """Read ``tokenizer.json`` (+ ``tokenizer_config.json``) of an encoder folder."""
    src = spec.src
    tj = src / "tokenizer.json"
    if not tj.is_file():
        extra = " (it has only a sentencepiece model file)" if any(src.glob("*.model")) else ""
        raise InvalidModelError(src, f"tokenizer.json is missing{extra}",
                                hint="Embedding models are converted from their tokenizer.json (WordPiece or "
                                     "Unigram); download it with the model.")
    try:
        tok = json.loads(tj.read_text(encoding="utf-8"))
        model = tok["model"]
        kind = model["type"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidModelError(tj, f"it is not a valid tokenizer file ({exc})") from exc
    tcfg = _read_optional(src / "tokenizer_config.json")
    added = {int(a["id"]): a for a in tok.get("added_tokens", []) if isinstance(a, dict) and "id" in a}
    if kind == "WordPiece":
        vocab = _wordpiece(spec, tok, model, added)
    elif kind == "Unigram":
        vocab = _unigram(spec, tok, model, added, tj)
    else:
        raise UnsupportedModelError(tj, f"its tokenizer is {kind!r}; embedding models need WordPiece (BERT) or "
                                        "Unigram (XLM-RoBERTa)")
    vocab.special_ids = _special_ids(vocab.tokens, added, tcfg, src, vocab.model)
    vocab.n_added = len(added)
    vocab.special = _NoMerges()
    if vocab.model == "bert" and ("cls" not in vocab.special_ids or "sep" not in vocab.special_ids):
        raise InvalidModelError(tj, "the tokenizer has no [CLS]/[SEP] tokens, which BERT models put around each text")
    if vocab.model == "bert":
        vocab.special_ids["bos"] = vocab.special_ids["cls"]  # llama.cpp's WPM puts BOS first: [CLS]
    return vocab


def _read_optional(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pad(tokens: list[str], types: list[int], scores: list[float] | None, n_vocab: int, tj: Path) -> None:
    if len(tokens) > n_vocab:
        raise InvalidModelError(tj, f"the tokenizer has {len(tokens)} tokens but the model only has {n_vocab} "
                                    "embeddings")
    for i in range(len(tokens), n_vocab):
        tokens.append(f"[PAD{i}]")
        types.append(UNUSED)
        if scores is not None:
            scores.append(-10000.0)


def _type_of(i: int, added: dict[int, Any]) -> int:
    if i not in added:
        return NORMAL
    return CONTROL if added[i].get("special") else USER_DEFINED


def _normalizers(tok: dict[str, Any]) -> list[dict[str, Any]]:
    norm = tok.get("normalizer") or {}
    if norm.get("type") == "Sequence":
        return [n for n in norm.get("normalizers", []) if isinstance(n, dict)]
    return [norm] if norm else []


def _wordpiece(spec: ModelSpec, tok: dict[str, Any], model: dict[str, Any], added: dict[int, Any]) -> EncoderVocab:
    tj = spec.src / "tokenizer.json"
    vocab = model.get("vocab")
    if not isinstance(vocab, dict) or not vocab:
        raise InvalidModelError(tj, "its WordPiece vocabulary is empty")
    reverse = {int(i): t for t, i in vocab.items()}
    for i, a in added.items():
        reverse[i] = a["content"]
    prefix = str(model.get("continuing_subword_prefix", "##"))
    tokens: list[str] = []
    types: list[int] = []
    for i in range(len(reverse)):
        text = reverse.get(i)
        if text is None:
            raise InvalidModelError(tj, f"token id {i} is missing from the vocabulary")
        ttype = _type_of(i, added)
        if ttype != CONTROL:
            # llama.cpp's WPM matches "phantom space" pieces: ▁word for a word start, bare for ##piece.
            text = text[len(prefix):] if text.startswith(prefix) else "\u2581" + text
        tokens.append(text)
        types.append(ttype)
    lowercase, strip = False, False
    for n in _normalizers(tok):
        if n.get("type") == "BertNormalizer":
            lowercase = bool(n.get("lowercase", True))
            sa = n.get("strip_accents")
            strip = lowercase if sa is None else bool(sa)  # BERT's rule: None follows lowercase
        elif n.get("type") == "Lowercase":
            lowercase = True
    _pad(tokens, types, None, spec.vocab_size, tj)
    return EncoderVocab("bert", tokens, types, None, {}, add_bos=True, add_eos=False, lowercase=lowercase,
                        strip_accents=strip)


def _unigram(spec: ModelSpec, tok: dict[str, Any], model: dict[str, Any], added: dict[int, Any],
             tj: Path) -> EncoderVocab:
    pieces = model.get("vocab")
    if not isinstance(pieces, list) or not pieces:
        raise InvalidModelError(tj, "its Unigram vocabulary is empty")
    unk_id = model.get("unk_id")
    tokens: list[str] = []
    types: list[int] = []
    scores: list[float] = []
    for i, item in enumerate(pieces):
        try:
            text, score = str(item[0]), float(item[1])
        except (TypeError, ValueError, IndexError) as exc:
            raise InvalidModelError(tj, f"vocabulary entry {i} is malformed") from exc
        tokens.append(added[i]["content"] if i in added else text)
        scores.append(score)
        types.append(UNKNOWN if i == unk_id else _type_of(i, added))
    charsmap = b""
    collapse = False
    for n in _normalizers(tok):
        if n.get("type") == "Precompiled" and n.get("precompiled_charsmap"):
            try:
                charsmap = base64.b64decode(n["precompiled_charsmap"])
            except (ValueError, TypeError) as exc:
                raise InvalidModelError(tj, "its precompiled_charsmap is not valid base64") from exc
        elif n.get("type") == "Replace" and (n.get("pattern") or {}).get("Regex") == " {2,}":
            collapse = True
    pre = tok.get("pre_tokenizer") or {}
    steps = pre.get("pretokenizers", [pre]) if pre.get("type") == "Sequence" else [pre]
    meta = next((s for s in steps if isinstance(s, dict) and s.get("type") == "Metaspace"), None)
    if meta is None:
        raise UnsupportedModelError(tj, "its Unigram tokenizer does not split on spaces the SentencePiece way "
                                        "(no Metaspace step), which llama.cpp's tokenizer assumes")
    scheme = meta.get("prepend_scheme")
    add_prefix = bool(meta.get("add_prefix_space", True)) if scheme is None else scheme != "never"
    post = json.dumps(tok.get("post_processor") or {})
    wraps = '"RobertaProcessing"' in post or '"BertProcessing"' in post or '"TemplateProcessing"' in post
    _pad(tokens, types, scores, spec.vocab_size, tj)
    return EncoderVocab("t5", tokens, types, scores, {}, add_bos=wraps, add_eos=wraps, charsmap=charsmap,
                        add_space_prefix=add_prefix, remove_extra_whitespaces=collapse)


def _special_ids(tokens: list[str], added: dict[int, Any], tcfg: dict[str, Any], src: Path,
                 model: str) -> dict[str, int]:
    """Special-token ids by their text in tokenizer_config.json / special_tokens_map.json."""
    stm = _read_optional(src / "special_tokens_map.json")
    by_text: dict[str, int] = {a["content"]: i for i, a in added.items()}
    ids: dict[str, int] = {}
    for name in _SPECIAL_NAMES:
        value = tcfg.get(f"{name}_token", stm.get(f"{name}_token"))
        if isinstance(value, dict):
            value = value.get("content")
        if not isinstance(value, str):
            continue
        tid = by_text.get(value)
        if tid is None:
            # a plain vocabulary entry (WordPiece pieces were given a phantom-space prefix)
            candidates = (value, "\u2581" + value) if model == "bert" else (value,)
            tid = next((i for i, t in enumerate(tokens) if t in candidates), None)
        if tid is not None:
            ids[name] = tid
    return ids
