"""Configuration: one module, flag > environment > secrets > default; secrets never shown."""

from pathlib import Path

import pytest

from index.config import load_settings
from index.errors import ConfigError


def test_precedence_flag_over_env_over_secrets():
    env = {"WHOSAID_STORE": "/env/store", "WHOSAID_LLM_MODEL": "env-model"}
    secrets = {"store": "/secret/store", "llm_model": "secret-model", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    s = load_settings({"store": "/flag/store"}, environ=env, secrets=secrets)
    assert s.store == Path("/flag/store") and s.llm_model == "env-model"
    assert s.openai_base_url == "http://127.0.0.1:9/v1"


def test_a_key_alone_does_not_enable_the_llm():
    s = load_settings(environ={"OPENAI_API_KEY": "sk-test-123"})
    assert not s.llm_enabled
    assert "sk-test-123" not in repr(s) and "sk-test-123" not in str(s.public_dict())
    assert s.public_dict()["openai_api_key_set"] is True


def test_bad_values_are_clear_errors():
    # named as the user set it: the environment variable, or the setting in an override
    with pytest.raises(ConfigError, match=r"WHOSAID_MAX_FILE_BYTES \('lots'\): expected a whole number"):
        load_settings(environ={"WHOSAID_MAX_FILE_BYTES": "lots"})
    with pytest.raises(ConfigError, match=r"embed_threads \('two'\): expected a whole number"):
        load_settings(overrides={"embed_threads": "two"}, environ={})
    with pytest.raises(ConfigError, match=r"WHOSAID_INDEX_SEEDS \('maybe'\): expected true or false"):
        load_settings(environ={"WHOSAID_INDEX_SEEDS": "maybe"})
    with pytest.raises(ConfigError, match="http"):
        load_settings(environ={"WHOSAID_CHROMA_URL": "localhost:8000"})


@pytest.mark.parametrize("cores, threads", [(1, 1), (2, 1), (4, 2), (None, 1)])
def test_embedding_threads_default_to_half_the_cores(monkeypatch, cores, threads):
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert load_settings(environ={}).embed_threads == threads
    assert load_settings(environ={"WHOSAID_EMBED_THREADS": "3"}).embed_threads == 3


def test_every_setting_names_its_environment_variable():
    from index.config import environment_variables

    names = environment_variables()
    assert names["embed_threads"] == "WHOSAID_EMBED_THREADS"
    assert names["openai_api_key"] == "OPENAI_API_KEY"
    assert all(env.startswith(("WHOSAID_", "OPENAI_")) for env in names.values())


@pytest.mark.parametrize("env, message", [
    ({"WHOSAID_EMBED_THREADS": "0"}, r"WHOSAID_EMBED_THREADS \(0\): expected 1 to 64"),
    ({"WHOSAID_EMBED_THREADS": "500"}, r"WHOSAID_EMBED_THREADS \(500\): expected 1 to 64"),
    ({"WHOSAID_INGEST_BATCH": "-3"}, r"WHOSAID_INGEST_BATCH \(-3\): expected 1 to 10000"),
    ({"WHOSAID_MAX_FILE_BYTES": "-5"}, r"WHOSAID_MAX_FILE_BYTES \(-5\): expected 1 to"),
])
def test_numbers_out_of_range_are_config_errors(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(environ=env)


def test_a_store_that_is_a_file_is_a_config_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ConfigError, match=r"WHOSAID_STORE \(.*notes.txt\) is a file; the store is a folder"):
        load_settings(environ={"WHOSAID_STORE": str(tmp_path / "notes.txt")})
