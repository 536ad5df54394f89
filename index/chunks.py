"""Chunks: runs of whole consecutive sentences, the retrieval unit for longer passages.

``RecursiveCharacterTextSplitter`` (langchain-text-splitters) proposes the boundaries,
preferring paragraph then line breaks; each proposal is then snapped to whole sentences
(a sentence belongs to the chunk its first character falls in), so every chunk maps
back to exact sentence ids and offsets and a citation can always name its sentences.
"""

from __future__ import annotations

from langchain_text_splitters import RecursiveCharacterTextSplitter

from index.models import Article, Chunk, Sentence

CHUNK_CHARS = 700


def make_chunks(article: Article, sentences: list[Sentence], chunk_chars: int = CHUNK_CHARS) -> list[Chunk]:
    """Group the article's sentences into chunks of about ``chunk_chars`` characters."""
    if not sentences:
        return []
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_chars, chunk_overlap=0, separators=["\n\n", "\n", ". ", " "],
        add_start_index=True, strip_whitespace=False,
    )
    bounds = [doc.metadata["start_index"] for doc in splitter.create_documents([article.text])]
    bounds = sorted(set(bounds[1:]))
    groups: list[list[Sentence]] = []
    next_bound = 0
    for sentence in sentences:
        while next_bound < len(bounds) and sentence.start >= bounds[next_bound]:
            next_bound += 1
            if groups and groups[-1]:
                groups.append([])
        if not groups:
            groups.append([])
        groups[-1].append(sentence)
    chunks = []
    for n, group in enumerate(g for g in groups if g):
        start, end = group[0].start, group[-1].end
        chunks.append(Chunk(id=f"{article.id}:c{n}", article_id=article.id, n=n, start=start, end=end,
                            text=article.text[start:end], sentence_ids=[s.id for s in group]))
    return chunks
