"""Offline token estimates with OpenAI's ``o200k_base`` encoding.

Some transcripts carry text but no token counts (Aider chat histories, for one). Their
tokens are estimated by encoding the text with ``o200k_base``, the encoding of the GPT-4o
and GPT-5 families; for other vendors' models the count is an approximation.

tiktoken normally downloads its BPE rank files on first use, which would make ingestion
depend on the network. Here the ranks come instead from the copy shipped inside the
``bpe-openai`` wheel (a declared dependency). The decompressed file must hash to the
SHA-256 that tiktoken itself pins for ``o200k_base.tiktoken``; anything else is refused.
The split pattern and special tokens are taken from tiktoken's own ``o200k_base``
definition, so the encoding is token-for-token the one ``tiktoken.get_encoding`` would
build, but ``get_encoding`` (and with it any download) is never called.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import importlib.metadata
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the first estimate: an ingest with no Aider history never loads it
    import tiktoken

ENCODING_NAME = "o200k_base"
# SHA-256 of the decompressed o200k_base.tiktoken, as pinned by tiktoken_ext.openai_public.
O200K_BASE_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
RANKS_DISTRIBUTION = "bpe-openai"
RANKS_PATH_IN_DISTRIBUTION = "bpe_openai/data/o200k_base.tiktoken.gz"

_build_lock = threading.Lock()


class TokenizerDataError(RuntimeError):
    """The packaged BPE ranks are missing, damaged or not the expected o200k_base file."""


def estimate_tokens(text: object) -> int:
    """Number of ``o200k_base`` tokens in ``text``; anything that is not a ``str`` counts 0.

    Special-token strings such as ``<|endoftext|>`` inside the text are counted as the
    ordinary text they are (a transcript quoting them must not raise).
    """
    if not isinstance(text, str) or not text:
        return 0
    return len(o200k_encoding().encode_ordinary(text))


@functools.cache
def o200k_encoding() -> tiktoken.Encoding:
    """The ``o200k_base`` encoding, built once from the packaged, hash-checked ranks."""
    return build_o200k_encoding(packaged_ranks_path())


def build_o200k_encoding(ranks_gz_path: Path) -> tiktoken.Encoding:
    """Build ``o200k_base`` from a gzipped ``.tiktoken`` rank file, verifying its hash first."""
    import tiktoken

    ranks = parse_tiktoken_ranks(read_verified_ranks(ranks_gz_path))
    definition = tiktoken_o200k_definition(ranks)
    return tiktoken.Encoding(
        name=definition["name"],
        pat_str=definition["pat_str"],
        mergeable_ranks=definition["mergeable_ranks"],
        special_tokens=definition["special_tokens"],
    )


def packaged_ranks_path() -> Path:
    """Where the installed ``bpe-openai`` distribution keeps ``o200k_base.tiktoken.gz``.

    Located through the distribution's file list rather than by importing ``bpe_openai``,
    which would load its large native extension for nothing.
    """
    try:
        distribution = importlib.metadata.distribution(RANKS_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError as error:
        raise TokenizerDataError(
            f"{RANKS_DISTRIBUTION} is not installed; it provides the {ENCODING_NAME} ranks"
        ) from error
    for packaged_file in distribution.files or ():
        if str(packaged_file) == RANKS_PATH_IN_DISTRIBUTION:
            return Path(packaged_file.locate())
    raise TokenizerDataError(f"{RANKS_DISTRIBUTION} {distribution.version} does not ship {RANKS_PATH_IN_DISTRIBUTION}")


def read_verified_ranks(ranks_gz_path: Path) -> bytes:
    """Decompressed rank file contents, refused unless they hash to ``O200K_BASE_SHA256``."""
    try:
        contents = gzip.decompress(Path(ranks_gz_path).read_bytes())
    except (OSError, EOFError) as error:
        raise TokenizerDataError(f"cannot read {ENCODING_NAME} ranks from {ranks_gz_path}: {error}") from error
    actual = hashlib.sha256(contents).hexdigest()
    if actual != O200K_BASE_SHA256:
        raise TokenizerDataError(
            f"{ranks_gz_path} is not the official {ENCODING_NAME}.tiktoken: "
            f"sha256 of its contents is {actual}, expected {O200K_BASE_SHA256}"
        )
    return contents


def parse_tiktoken_ranks(contents: bytes) -> dict[bytes, int]:
    """Parse ``.tiktoken`` lines (``<base64 token> <rank>``) into tiktoken's mergeable ranks."""
    ranks: dict[bytes, int] = {}
    for line in contents.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def tiktoken_o200k_definition(ranks: dict[bytes, int]) -> dict:
    """tiktoken's own ``o200k_base`` constructor arguments, with ``ranks`` as mergeable ranks.

    ``tiktoken_ext.openai_public.o200k_base`` defines the split pattern and special tokens
    but also fetches the ranks. It is run with its rank loader replaced by one that hands
    over the already verified ranks, so the pattern is never copied here and nothing is
    fetched. The loader also checks that tiktoken still pins the hash verified above.
    """
    try:
        from tiktoken_ext import openai_public
    except ImportError as error:
        raise TokenizerDataError(
            "tiktoken_ext.openai_public (part of tiktoken) is missing; it defines the o200k_base pattern"
        ) from error

    def hand_over_verified_ranks(blobpath: str, expected_hash: str | None = None) -> dict[bytes, int]:
        if expected_hash != O200K_BASE_SHA256:
            raise TokenizerDataError(
                f"tiktoken expects {blobpath} with sha256 {expected_hash}, "
                f"but the packaged ranks were verified against {O200K_BASE_SHA256}"
            )
        return ranks

    with _build_lock, _replaced_attribute(openai_public, "load_tiktoken_bpe", hand_over_verified_ranks):
        return openai_public.o200k_base()


@contextmanager
def _replaced_attribute(owner: object, name: str, replacement: Callable) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)
