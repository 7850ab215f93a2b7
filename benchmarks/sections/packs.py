"""The "National Cancer Institute packs" section of REPORT.md."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import pct

BEFORE = (183, 310)
"""Right before any cue of the NCI packs was tuned, with the packs as first written."""


def section(result: Result | None) -> list[str]:
    """The question sets on the NCI packs (``benchmarks/packs.py``)."""
    if not result:
        return []
    lines = ["## National Cancer Institute packs", ""]
    right, n = result["right"], result["questions"]
    lines.append(
        f"- Question set `tests/data/packs_questions.tsv` (written blind to the packs): "
        f"{right} of {n} answered on the topic with an expected term, {pct(right / n)} "
        f"({BEFORE[0]} of {BEFORE[1]} before the cues were tuned); on the topic "
        f"{result['on_topic']}; asked 'a child or an adult?' {result['asked_audience']} "
        "times (goal 95%)."
    )
    probe = result.get("probe")
    if probe:
        lines.append(
            f"- Probe set `tests/data/packs_probe.tsv` (blind, consumer style): "
            f"{probe['right']} of {probe['questions']}, {pct(probe['accuracy'])}; on the "
            f"topic {probe['on_topic']}."
        )
    for name, said in (result.get("spoken") or {}).items():
        heard, spoken = said["medical_words_heard"]
        lines.append(
            f"- Spoken by synthetic voices, heard by Whisper ({name} prompt): "
            f"{said['questions']} questions that use the packs' medical words; WER "
            f"{said['wer']:.3f}; {heard} of {spoken} medical words heard; {said['right']} "
            "answered right."
        )
    return [*lines, ""]
