"""Exports of claims: schema.org ``ClaimReview`` JSON-LD and CSV.

The review rates the *quotation* — whether outlets reported the speaker's words
faithfully (``Accurately quoted``, ``Altered quote``, ``Misattributed``; ``Accurately
reported`` and ``Altered report`` for words no outlet quoted) — never the
truth of what the speaker said; ``reviewBody`` says so in words. Unknown metadata (an
outlet, a date, a URL) is left out, never guessed.
"""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from typing import TextIO

from bot.claims import (VERDICT_ACCURATE, VERDICT_ACCURATE_REPORT, VERDICT_ALTERED, VERDICT_ALTERED_REPORT,
                         VERDICT_DENIED, VERDICT_MISATTRIBUTED, VERDICT_NOT_ASSERTED, Claim, ClaimAppearance)

# A denial reported as the speaker's statement misstates their position: the worst rating.
RATINGS = {VERDICT_ACCURATE: 3, VERDICT_ACCURATE_REPORT: 3, VERDICT_ALTERED: 2, VERDICT_ALTERED_REPORT: 2,
           VERDICT_MISATTRIBUTED: 1, VERDICT_DENIED: 1, VERDICT_NOT_ASSERTED: 1}
CSV_COLUMNS = ("claim_id", "speaker", "claim", "first_seen", "repeats", "verdict", "contradicts", "article_id",
               "sentence_id", "outlet", "title", "date", "url", "kind", "wording", "meaning_changed", "drift_reasons")


def _creative_work(a: ClaimAppearance) -> dict:
    work: dict = {"@type": "CreativeWork"}
    if a.url:
        work["url"] = a.url
    if a.title:
        work["headline"] = a.title
    if a.date:
        work["datePublished"] = a.date
    if a.outlet:
        work["publisher"] = {"@type": "Organization", "name": a.outlet}
    work["text"] = a.text
    return work


def claim_review(claim: Claim, verdict: str, reasons: list[str], *, author: str, url_base: str,
                 speaker_kind: str = "person", reviewed_on: str | None = None) -> dict:
    """The claim as a schema.org ``ClaimReview`` (JSON-LD, a dict ready for ``json.dumps``).

    ``verdict`` is one of the attribution verdicts (see ``bot.claims.review_verdict``);
    ``author`` and ``url_base`` come from the settings (``WHOSAID_REVIEW_AUTHOR``,
    ``WHOSAID_REVIEW_URL_BASE``); the review's url is ``url_base`` + the claim id."""
    if verdict not in RATINGS:
        raise ValueError(f"unknown verdict {verdict!r}")
    first = claim.first_appearance
    outlets = ", ".join(claim.outlets) or "the indexed articles"
    body = (f"This rating concerns the quotation, not the truth of the claim: it says whether "
            f"{claim.speaker or 'the speaker'}'s words were reported faithfully across {claim.repeats} "
            f"appearance(s) ({outlets}). Verdict: {verdict}."
            + (" " + " ".join(r.rstrip(".") + "." for r in reasons) if reasons else ""))
    item: dict = {
        "@type": "Claim",
        "author": {"@type": "Organization" if speaker_kind == "organisation" else "Person",
                   "name": claim.speaker or "unknown"},
        "appearance": [_creative_work(a) for a in claim.appearances],
        "firstAppearance": _creative_work(first),
    }
    if claim.first_seen:
        item["datePublished"] = claim.first_seen
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{url_base}{claim.id}",
        "datePublished": reviewed_on or datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "author": {"@type": "Organization", "name": author},
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "ratingValue": RATINGS[verdict], "bestRating": 3, "worstRating": 1,
                         "alternateName": verdict},
        "reviewBody": body,
    }


def write_claims_csv(claims: list[Claim], out: TextIO, verdicts: dict[str, str] | None = None) -> int:
    """One CSV row per appearance of each claim (with its drift against the reference);
    ``verdicts`` (claim id -> verdict) overrides each claim's own. Returns the row count."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for c in claims:
        drift = {(d.appearance.attribution_id, d.appearance.outlet): d for d in c.drift}
        for a in c.appearances:
            d = drift.get((a.attribution_id, a.outlet))
            writer.writerow([c.id, c.speaker or "", c.text, c.first_seen or "", c.repeats,
                             (verdicts or {}).get(c.id, c.verdict), " ".join(c.contradicts), a.article_id,
                             a.sentence_id or "", a.outlet or "", a.title or "", a.date or "", a.url or "", a.kind,
                             a.text, "yes" if d and d.changed else "no", "; ".join(d.reasons) if d else ""])
            rows += 1
    return rows
