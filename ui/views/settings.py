"""Settings: what this app uses (embedding model, store, answer backend) and how to switch.

Values come from ``rt.settings.public_dict()`` (the API key is only ever "set" / "not set");
the way to change each one is the environment variable or ``.streamlit/secrets.toml`` key
that ``index/config.py`` reads.
"""

from __future__ import annotations

import streamlit as st

from index import config
from ui.render import escape_markdown

EXPLAINED = {
    "embeddings": "embedding model (minilm-int8 offline, or openai:<model>)",
    "store": "embedded store folder",
    "chroma_url": "Chroma server (shared by several processes)",
    "llm_model": "LLM answer backend (off unless a model is named)",
    "openai_base_url": "OpenAI-compatible server",
    "openai_api_key": "API key (never shown)",
    "allow_private_urls": "fetch pages on private addresses",
    "max_file_bytes": "largest file / paste / draft",
    "index_seeds_on_first_run": "index the seed articles on the first start",
    "seeds_dir": "seed articles folder",
    "embed_threads": "embedding threads",
    "ingest_batch": "articles per indexing batch",
}


def setting_rows(public: dict) -> list[dict]:
    """One row per setting: its value as shown to users and where to change it."""
    rows = []
    for name, env in config.environment_variables().items():
        value = public.get("openai_api_key_set") if name == "openai_api_key" else public.get(name)
        if name == "openai_api_key":
            value = "set" if value else "not set"
        rows.append({"setting": EXPLAINED.get(name, name), "value": "" if value is None else str(value),
                     "environment variable": env, "secrets.toml key": name})
    return rows


def render(rt) -> None:
    """The settings page."""
    st.title("Settings")
    s = rt.settings
    public = s.public_dict()
    c1, c2, c3 = st.columns(3)
    c1.metric("Embedding model", rt.embeddings.model_id)
    c2.metric("Store", "Chroma server" if s.chroma_url else "embedded Chroma")
    c3.metric("Answers", f"LLM {s.llm_model}" if s.llm_enabled else "extractive (offline)")
    st.caption(escape_markdown(f"Store: {s.store_description} · {rt.store.count('articles')} articles, "
                               f"{rt.store.count('sentences')} sentences indexed"))
    st.dataframe(setting_rows(public), hide_index=True, width="stretch")
    st.markdown("#### How to switch")
    st.markdown(
        "Settings are read once, when the app starts, from (first match wins) the command line, "
        "the environment, then `.streamlit/secrets.toml`. Change one and restart `whosaid ui`.")
    st.code("# environment\nWHOSAID_LLM_MODEL=gpt-4o-mini OPENAI_API_KEY=… whosaid ui\n\n"
            "# .streamlit/secrets.toml (beside where you start the app)\n"
            "llm_model = \"gpt-4o-mini\"\nchroma_url = \"http://127.0.0.1:8000\"\n", language="bash")
    st.caption("A new embedding model needs `whosaid reindex` before the store can be used with it. "
               "An API key alone sends nothing anywhere: the LLM backend is on only when a model is named.")
