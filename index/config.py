"""All configuration, read in one place.

Precedence everywhere: explicit overrides (CLI flags) > environment (``WHOSAID_*``,
``OPENAI_*``) > ``.streamlit/secrets.toml`` values passed in by the app > defaults.
The LLM backend is on only when a model is named (``--llm`` / ``WHOSAID_LLM_MODEL``):
an API key that merely sits in the environment never sends article text anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from index.errors import ConfigError

DEFAULT_EMBEDDINGS = "minilm-int8"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_store() -> Path:
    return Path(os.path.expanduser("~")) / ".whosaid" / "store"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. ``openai_api_key`` is never printed (see ``public_dict``)."""

    store: Path = field(default_factory=_default_store)
    chroma_url: str | None = None
    embeddings: str = DEFAULT_EMBEDDINGS
    llm_model: str | None = None
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    allow_private_urls: bool = False
    max_file_bytes: int = 20_000_000
    max_question_chars: int = 2_000
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    index_seeds_on_first_run: bool = True
    # Half the cores, one single-threaded ONNX session each: while they embed a batch, the
    # other cores parse the next and write the last (ingest on 2 cores: 1 and 2 sessions
    # are as fast, 2 hold 150 MiB more; docs/benchmarks.md). A question's embedding uses one.
    embed_threads: int = field(default_factory=lambda: max(1, (os.cpu_count() or 2) // 2))
    ingest_batch: int = 16
    llm_timeout: float = 60.0  # seconds per LLM request (the answer backend)
    # ClaimReview exports: who publishes the review, and where reviews live (+ claim id).
    review_author: str = "whosaid"
    review_url_base: str = "urn:whosaid:claim:"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_model)

    @property
    def store_description(self) -> str:
        return f"Chroma server {self.chroma_url}" if self.chroma_url else f"embedded Chroma at {self.store}"

    @property
    def lexical_index_dir(self) -> Path:
        """Where the saved BM25 index lives: inside an embedded store's directory, or in
        the user's cache (one folder per server address) for a Chroma server."""
        if self.chroma_url:
            import hashlib

            cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            return cache / "whosaid" / "lexical" / hashlib.sha1(self.chroma_url.encode()).hexdigest()[:16]
        return self.store / "whosaid-lexical"

    def public_dict(self) -> dict:
        """Settings safe to show a user: secrets reduced to whether they are set."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "openai_api_key":
                out["openai_api_key_set"] = value is not None
                continue
            out[f.name] = str(value) if isinstance(value, Path) else value
        out["llm_enabled"] = self.llm_enabled
        return out


# setting name -> (environment variable, parser)
_ENV: dict[str, tuple[str, type]] = {
    "store": ("WHOSAID_STORE", Path),
    "chroma_url": ("WHOSAID_CHROMA_URL", str),
    "embeddings": ("WHOSAID_EMBEDDINGS", str),
    "llm_model": ("WHOSAID_LLM_MODEL", str),
    "openai_api_key": ("OPENAI_API_KEY", str),
    "openai_base_url": ("OPENAI_BASE_URL", str),
    "allow_private_urls": ("WHOSAID_ALLOW_PRIVATE_URLS", bool),
    "max_file_bytes": ("WHOSAID_MAX_FILE_BYTES", int),
    "seeds_dir": ("WHOSAID_SEEDS", Path),
    "index_seeds_on_first_run": ("WHOSAID_INDEX_SEEDS", bool),
    "embed_threads": ("WHOSAID_EMBED_THREADS", int),
    "ingest_batch": ("WHOSAID_INGEST_BATCH", int),
    "llm_timeout": ("WHOSAID_LLM_TIMEOUT", float),
    "review_author": ("WHOSAID_REVIEW_AUTHOR", str),
    "review_url_base": ("WHOSAID_REVIEW_URL_BASE", str),
}


# the values a numeric setting may take (a thread count of 0, or of 500 on a laptop, is a typo)
_RANGES: dict[str, tuple[float, float]] = {
    "max_file_bytes": (1, 10**12),
    "embed_threads": (1, 64),
    "ingest_batch": (1, 10_000),
    "llm_timeout": (0.1, 86_400),
}


def environment_variables() -> dict[str, str]:
    """Setting name -> the environment variable that sets it (CLI flags override them)."""
    return {name: env for name, (env, _kind) in _ENV.items()}


_EXPECTED = {int: "a whole number", float: "a number", bool: "true or false (1/0, yes/no, on/off)",
             Path: "a path", str: "text"}


def _parse(name: str, raw: object, kind: type) -> object:
    """``raw`` as a ``kind``; ``name`` is what the user set (the environment variable, or
    the setting), named in the error."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind is Path:
            return Path(os.path.expanduser(str(raw)))
        return kind(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"invalid value for {name} ({str(raw)[:40]!r}): expected "
                          f"{_EXPECTED.get(kind, kind.__name__)}") from None


def load_settings(
    overrides: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    secrets: Mapping[str, object] | None = None,
) -> Settings:
    """Resolve settings: ``overrides`` > ``environ`` > ``secrets`` > defaults.

    ``overrides`` and ``secrets`` use the setting names (``store``, ``llm_model`` …);
    secrets may also use the environment variable names (``OPENAI_API_KEY``).
    ``None`` values in overrides mean "not given".
    """
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    given: dict[str, str] = {}
    for name, (env_name, kind) in _ENV.items():
        chosen = None
        for source in (overrides or {}, None, secrets or {}):
            if source is None:
                raw, given_as = environ.get(env_name), env_name
            else:
                given_as = name if name in source else env_name
                raw = source.get(name, source.get(env_name) if source is secrets else None)
            parsed = _parse(given_as, raw, kind)
            if parsed is not None:
                chosen, given[name] = parsed, given_as
                break
        if chosen is not None:
            values[name] = chosen
    for name, (low, high) in _RANGES.items():
        value = values.get(name)
        if value is not None and not (low <= value <= high):  # type: ignore[operator]
            raise ConfigError(f"invalid value for {given[name]} ({value}): expected {low:g} to {high:g}")
    store = values.get("store")
    if isinstance(store, Path) and store.exists() and not store.is_dir():
        raise ConfigError(f"{given['store']} ({store}) is a file; the store is a folder")
    settings = replace(Settings(), **values)
    if settings.chroma_url and not settings.chroma_url.startswith(("http://", "https://")):
        raise ConfigError("the Chroma server URL must start with http:// or https://")
    return settings
