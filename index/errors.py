"""Errors a user may see: each carries a plain message, never a traceback."""


class WhosaidError(Exception):
    """Base of every error whosaid reports to a user (CLI exit 1/2, a message in the app)."""


class IngestError(WhosaidError):
    """An input was refused (unreadable, empty, too large, unsupported); nothing was stored."""


class FetchError(IngestError):
    """A URL was refused or could not be fetched safely."""


class StoreError(WhosaidError):
    """The store cannot be used as asked (locked, incompatible schema or model, unreachable)."""


class ConfigError(WhosaidError):
    """The configuration is invalid (unknown model, bad URL, missing key for a named LLM)."""


class QueryError(WhosaidError):
    """A question or quote cannot be processed (empty, too long, no words)."""
