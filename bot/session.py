"""A conversation kept in a small JSON file, so CLI follow-ups resolve ("what else did he say?").

``whosaid ask --session FILE`` loads the file, passes the previous turn's speakers (for
"he/she/they") and the sentences already cited (for "what else …") to the answerer, then
records the new turn. The file holds only questions, speaker ids/names and sentence ids —
never article text — and keeps the last ``MAX_TURNS`` turns. It is written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index.errors import WhosaidError
from index.models import Speaker

MAX_TURNS = 20
FORMAT = "whosaid-session/1"


class SessionError(WhosaidError):
    """The session file cannot be read or written."""


@dataclass
class Turn:
    """One question and what its answer was about."""

    question: str
    speaker_ids: list[str] = field(default_factory=list)
    speaker_names: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # sentence ids


@dataclass
class Session:
    """The turns of one conversation, oldest first."""

    path: Path
    turns: list[Turn] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> Session:
        """The session in ``path``; a missing file is a new, empty session."""
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise SessionError(f"cannot read the session file {path}: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError("format")
            turns = [Turn(question=str(t["question"]), speaker_ids=[str(s) for s in t.get("speaker_ids", [])],
                          speaker_names=[str(s) for s in t.get("speaker_names", [])],
                          cited=[str(s) for s in t.get("cited", [])]) for t in data["turns"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise SessionError(f"{path} is not a whosaid session file") from None
        return cls(path, turns)

    def previous_speakers(self, known: dict[str, Speaker]) -> list[Speaker]:
        """The speakers of the latest turn that had any (as known now, by id)."""
        for turn in reversed(self.turns):
            if turn.speaker_ids:
                return [known.get(sid) or Speaker(id=sid, name=name)
                        for sid, name in zip(turn.speaker_ids, turn.speaker_names)]
        return []

    def previously_cited(self) -> list[str]:
        """Sentence ids cited in the turns about the latest speakers (what "else" excludes)."""
        latest = next((t.speaker_ids for t in reversed(self.turns) if t.speaker_ids), [])
        cited: list[str] = []
        for turn in self.turns:
            if not latest or set(turn.speaker_ids) & set(latest):
                cited.extend(turn.cited)
        return list(dict.fromkeys(cited))

    def record(self, question: str, speakers: list[Speaker], cited: list[str]) -> None:
        """Add a turn (keeping the last ``MAX_TURNS``)."""
        self.turns.append(Turn(question, [s.id for s in speakers], [s.name for s in speakers], list(cited)))
        self.turns = self.turns[-MAX_TURNS:]

    def save(self) -> None:
        """Write the file atomically (a temporary file in the same folder, then a rename)."""
        payload = json.dumps({"format": FORMAT, "turns": [asdict(t) for t in self.turns]}, ensure_ascii=False,
                             indent=1)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".session-", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise SessionError(f"cannot write the session file {self.path}: {exc.strerror or exc}") from None


def answer_speakers(answer, find) -> list[Speaker]:
    """Who a turn was about: the question's speakers, else the speaker a who-said answer named
    (``find`` looks a name up among known speakers)."""
    if answer.speakers:
        return list(answer.speakers)
    named = (answer.verdict or {}).get("speaker")
    return list(find(named)) if named else []
