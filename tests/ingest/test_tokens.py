"""Offline o200k_base token estimates: packaged ranks, hash check, counts, no network."""

from __future__ import annotations

import gzip
import hashlib
import inspect
import socket

import pytest
import tiktoken
import tiktoken.load
from tiktoken_ext import openai_public

from ingest import tokens
from ingest.tokens import (
    O200K_BASE_SHA256,
    TokenizerDataError,
    build_o200k_encoding,
    estimate_tokens,
    o200k_encoding,
    packaged_ranks_path,
    read_verified_ranks,
)


def test_packaged_ranks_are_the_file_tiktoken_pins():
    contents = read_verified_ranks(packaged_ranks_path())
    assert hashlib.sha256(contents).hexdigest() == O200K_BASE_SHA256
    assert O200K_BASE_SHA256 in inspect.getsource(openai_public.o200k_base)


def test_encoding_is_o200k_base():
    encoding = o200k_encoding()
    assert encoding.name == "o200k_base"
    assert encoding.n_vocab == 200019
    assert encoding.special_tokens_set == {"<|endoftext|>", "<|endofprompt|>"}


@pytest.mark.parametrize(
    ("text", "token_ids"),
    [
        ("hello world", [24912, 2375]),
        ("Hello, world!", [13225, 11, 2375, 0]),
    ],
)
def test_known_token_ids(text, token_ids):
    assert o200k_encoding().encode_ordinary(text) == token_ids
    assert estimate_tokens(text) == len(token_ids)


@pytest.mark.parametrize(
    "text",
    [
        "def f(x):\n    return x ** 2\n",
        "naïve café — 日本語のテキスト 🚀",
        '{"type":"assistant","message":{"usage":{"input_tokens":3}}}',
        "    \n\n\t  trailing whitespace   ",
    ],
)
def test_tokens_decode_back_to_the_text(text):
    encoding = o200k_encoding()
    token_ids = encoding.encode_ordinary(text)
    assert encoding.decode(token_ids) == text
    assert estimate_tokens(text) == len(token_ids) > 0


def test_special_token_text_is_counted_as_plain_text():
    assert estimate_tokens("<|endoftext|>") == 7
    assert estimate_tokens("before <|endofprompt|> after") > 3


def test_large_text():
    assert estimate_tokens("word " * 200_000) == 200_001


@pytest.mark.parametrize("value", [None, "", 42, b"hello world", ["hello"]])
def test_anything_but_text_counts_zero(value):
    assert estimate_tokens(value) == 0


def test_works_with_the_network_unreachable(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(tiktoken, "get_encoding", no_network)
    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    monkeypatch.setattr(tiktoken.load, "read_file_cached", no_network)
    monkeypatch.setattr(openai_public, "load_tiktoken_bpe", no_network)
    o200k_encoding.cache_clear()

    assert estimate_tokens("hello world") == 2
    assert list(tmp_path.iterdir()) == []
    assert openai_public.load_tiktoken_bpe is no_network


def test_tampered_ranks_are_refused(tmp_path):
    original = gzip.decompress(packaged_ranks_path().read_bytes())
    tampered = original.replace(b"IQ== 0\n", b"IQ== 1\n", 1)
    assert tampered != original
    tampered_path = tmp_path / "o200k_base.tiktoken.gz"
    tampered_path.write_bytes(gzip.compress(tampered, compresslevel=1))

    with pytest.raises(TokenizerDataError, match="not the official o200k_base.tiktoken"):
        build_o200k_encoding(tampered_path)


def test_unreadable_ranks_are_refused(tmp_path):
    broken_path = tmp_path / "o200k_base.tiktoken.gz"
    broken_path.write_bytes(packaged_ranks_path().read_bytes()[:1000])

    with pytest.raises(TokenizerDataError, match="cannot read o200k_base ranks"):
        build_o200k_encoding(broken_path)


def test_a_changed_tiktoken_pin_is_refused(monkeypatch):
    monkeypatch.setattr(tokens, "O200K_BASE_SHA256", "0" * 64)

    with pytest.raises(TokenizerDataError, match="tiktoken expects"):
        tokens.tiktoken_o200k_definition({})
