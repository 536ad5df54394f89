"""Page furniture is left out of sentences by a general rule; the text is never changed."""

from index.furniture import find_furniture, is_furniture_line
from tests.conftest import SEEDS


def _furniture_texts(text: str) -> list[str]:
    return [s.text for s in find_furniture(text)]


def test_seed_trailing_feedback_prompt_is_furniture():
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    assert _furniture_texts(text) == ["ваш відгук:"]


def test_credit_line_stays():
    text = "He said it.\n\nSome information for this report came from The Associated Press and Reuters.\n"
    assert _furniture_texts(text) == []


def test_other_kinds_of_furniture():
    text = ("The mayor spoke on Monday.\n\nAdvertisement\n\nShe said the port would stay open.\n\n"
            "Share this article\n\nRead more\n\n***\n\nВаш коментар:\n")
    assert _furniture_texts(text) == ["Advertisement", "Share this article", "Read more", "***", "Ваш коментар:"]


def test_spans_slice_back_and_offsets_are_into_the_unchanged_text():
    text = "First.\n\n  Advertisement  \n\nSecond sentence here.\n"
    (span,) = find_furniture(text)
    assert text[span.start:span.end] == span.text == "Advertisement"


def test_a_line_introducing_a_quote_is_speech_not_furniture():
    assert not is_furniture_line("Varga said:", "“We will not ask fishermen to pay.”")
    assert is_furniture_line("Ваш коментар:", None)


def test_sentences_and_wrapped_paragraph_endings_are_not_furniture():
    assert not is_furniture_line("We don't want wars.")
    assert not is_furniture_line("“We don’t need this panic,”")
    wrapped = ("The council voted on Thursday to approve the plan for the harbour and the\n"
               "fishing quay\n")
    assert _furniture_texts(wrapped) == []
