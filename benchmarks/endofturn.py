"""End of turn: turns cut in two, words invented, and end of speech to first sound, with the
end of a turn decided by the words heard (voice mode now) side by side with the fixed
0.8 s pause (before issue 19), in one run.

Real people (``../shared/realvoice``, read in place): each recording is played through the
endpointer and the recognizer exactly as ``allvoice --listen-file`` does (Whisper as the
sink, the words judged at each pause, waiting for them), then each turn through the voice
loop (``voice.hear``, a fresh conversation per recording), once as recorded and once with
a pause of real length (0.5, 1.0 or 1.5 s, in turn) spliced in at a word gap in the
middle of the sentence. The pause is the recording's own room tone (its quietest 100 ms,
repeated), made in memory: no copy of a recording is written anywhere. Counted:

* cut: recordings whose speech became more than one turn;
* invented yes/no: turns taken as a yes or a no (nobody in these recordings says one);
* word error rate of the turns' transcripts joined, against what was said;
* triage missed: recordings whose words are an emergency, urgent case or crisis, where
  no turn was.

Complete questions (the spoken set's questions about a topic that open with a question
word, spread over it, clean and with pink noise, as ``latency.paced``): each is played at
the pace of speech, 0.5 s of silence before and 1.5 s after; the clock runs from the real end of the
speech in the audio (its last sample above 2% of the peak) to the first synthesized chunk
of the reply. The same is measured on some real recordings (reports, not questions).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from benchmarks.common import Config, Result, log, ms, part_main, settings_given, silence

RATE = 16_000
BLOCK_SECONDS = 0.030
PAUSES = (0.5, 1.0, 1.5)
"""Pauses spliced into the recordings, in turn."""
MODES = ("fixed", "words")
"""The fixed 0.8 s pause (no words), and the words judged at each pause."""
YES_NO = ("yes", "no")
INTERROGATIVES = frozenset(
    "what how why when where who which is are can could does do did should will would has "
    "have".split()
)
"""A spoken-set item opening with one of these, about a topic, is a complete question."""
NOT_QUESTIONS = frozenset(("report_symptoms", "emergency", "urgent", "crisis", "out_of_scope"))


def run(config: Config, whisper: dict[str, Any] | None = None) -> Result:
    """Both end-of-turn modes on the real recordings and on the spoken questions; with
    ``whisper`` (``WhisperSettings`` fields changed), on the spoken questions only."""
    from allvoice.content.pack import load_pack
    from allvoice.speech.asr.streaming import StreamingRecognizer
    from allvoice.speech.asr.whisper import WhisperRecognizer, WhisperSettings
    from allvoice.understanding import build_model
    from benchmarks.realvoice import REALVOICE

    pack = load_pack()
    model = build_model(pack)
    engine = WhisperRecognizer(pack, settings=replace(WhisperSettings(), **(whisper or {})))
    streaming = StreamingRecognizer(engine)
    engine.recognize(_chunk(bytes(RATE)))  # the first decoding warms the model up
    result: Result = {"pause_seconds": 0.8, "modes": list(MODES)}
    if whisper:
        result["whisper"] = whisper
        result["questions"] = questions(config, pack, model, streaming)
        return result
    if (REALVOICE / "utterances.tsv").is_file():
        result["real"] = real_people(config, pack, model, streaming)
    else:
        log(f"endofturn: {REALVOICE} is absent; real people skipped")
        result["real"] = {"skipped": f"{REALVOICE} is absent"}
    result["questions"] = questions(config, pack, model, streaming)
    return result


def settings_of(mode: str) -> Any:
    """The endpointer settings and words of each mode, as ``--listen-file`` sets them."""
    from allvoice.speech.audio.endpointer import EndpointerSettings

    if mode == "fixed":
        return EndpointerSettings()
    return EndpointerSettings(wait_for_words=True)


def turns_of(
    audio: bytes, mode: str, streaming: Any, model: Any, paced: bool = False
) -> Iterator[tuple[Any, float]]:
    """Each utterance the endpointer hands over, and when (``time.perf_counter``)."""
    from allvoice.app.settings import Settings
    from allvoice.app.voice import HeardWords
    from allvoice.app.wiring import turn_pauses
    from allvoice.speech.audio.endpointer import utterances_from_frames

    settings = settings_of(mode)
    if paced:  # as from a microphone: the words are read when they are there
        settings = replace(settings, wait_for_words=False)
    words = HeardWords(streaming, turn_pauses(Settings())) if mode == "words" else None
    block = round(BLOCK_SECONDS * RATE) * 2
    frames = [audio[i : i + block] for i in range(0, len(audio), block)]
    for utterance in utterances_from_frames(
        _paced(frames) if paced else iter(frames), settings, streaming, words
    ):
        yield utterance, time.perf_counter()


def real_people(config: Config, pack: Any, model: Any, streaming: Any) -> Result:
    """Cuts, invented yes/no, WER and triage on the recordings, as recorded and spliced."""
    from allvoice.app.voice import hear
    from allvoice.conversation.session import Conversation
    from allvoice.understanding import understand_heard
    from allvoice.understanding.triage import LEVELS
    from benchmarks.realvoice import read_audio, recordings
    from benchmarks.wer import word_error_rate

    items = recordings()
    stride = 4 if config.mode == "quick" else 1
    items = items[::stride]
    log(f"endofturn: {len(items)} real recordings x 2 (as recorded, spliced) x {len(MODES)}")
    figures: Result = {}
    cut_examples: dict[str, list[str]] = {}
    for mode in MODES:
        for variant in ("recorded", "spliced"):
            cut = invented = triage_missed = triage_cases = 0
            pairs: list[tuple[str, str]] = []
            counts: list[int] = []
            by_pause = {pause: [0, 0] for pause in PAUSES}  # cut, recordings
            examples = cut_examples.setdefault(f"{mode}_{variant}", [])
            for number, (path, said) in enumerate(items):
                samples = read_audio(path)
                if variant == "spliced":
                    samples = splice(samples, PAUSES[number % len(PAUSES)])
                stream = samples + silence(1.5)
                conversation = Conversation(pack)
                heard: list[str] = []
                intents: list[str] = []
                found_triage = False
                for utterance, _ in turns_of(stream, mode, streaming, model):
                    turn = hear(conversation, streaming, utterance.audio)
                    if turn.transcript.text:
                        heard.append(turn.transcript.text)
                    intents.append(turn.turn.understanding.intent)
                    found_triage |= turn.turn.intent in LEVELS
                spoken = [text for text in heard if text]
                counts.append(len(spoken))
                pause = PAUSES[number % len(PAUSES)]
                by_pause[pause][1] += 1
                if len(spoken) > 1:
                    cut += 1
                    by_pause[pause][0] += 1
                    if len(examples) < 8:
                        examples.append(" | ".join(spoken))
                invented += sum(intent in YES_NO for intent in intents)
                pairs.append((said, " ".join(heard)))
                if understand_heard(said, model).triage is not None:
                    triage_cases += 1
                    triage_missed += not found_triage
            figures[f"{mode}_{variant}"] = {
                "recordings": len(items),
                "cut": cut,
                "invented_yes_no": invented,
                "wer": word_error_rate(pairs),
                "triage_cases": triage_cases,
                "triage_missed": triage_missed,
                "turns_median": statistics.median(counts),
            }
            if variant == "spliced":
                figures[f"{mode}_{variant}"]["cut_by_pause"] = {
                    f"{pause:g}": {"cut": c, "recordings": n} for pause, (c, n) in by_pause.items()
                }
            log(f"endofturn: {mode}, {variant}: cut {cut}/{len(items)}, invented yes/no "
                f"{invented}, WER {figures[f'{mode}_{variant}']['wer']:.3f}, "
                f"triage missed {triage_missed}/{triage_cases}")  # fmt: skip
    paced = _paced_real(config, items, read_audio, pack, model, streaming)
    return {
        "recordings": len(items),
        "folder": "../shared/realvoice",
        "pauses_spliced": list(PAUSES),
        "figures": figures,
        "cut_examples": cut_examples,
        "paced": paced,
    }


def _paced_real(
    config: Config,
    items: Sequence[tuple[Any, str]],
    read_audio: Callable[[Any], bytes],
    pack: Any,
    model: Any,
    streaming: Any,
) -> Result:
    """End of speech to first sound on some real recordings, at the pace of speech."""
    picks = list(items[:: 8 if config.mode == "quick" else 4])
    log(f"endofturn: paced, {len(picks)} real recordings x {len(MODES)}")
    delays: dict[str, list[float]] = {mode: [] for mode in MODES}
    for path, _ in picks:
        samples = read_audio(path)
        stream = silence(0.5) + samples + silence(1.5)
        end = _speech_end(stream)
        for mode in MODES:
            delay = _first_sound_after(stream, end, mode, pack, model, streaming)
            if delay is not None:
                delays[mode].append(delay)
    return {"utterances": len(picks), "delay": {mode: ms(v) for mode, v in delays.items()}}


def questions(config: Config, pack: Any, model: Any, streaming: Any) -> Result:
    """End of speech to first sound for complete questions, both modes, at speech pace."""
    from benchmarks import spoken_set

    listed = [
        question
        for question in spoken_set.load_questions()
        if question.text.split()[0] in INTERROGATIVES and question.intent not in NOT_QUESTIONS
    ]
    count = max(6, config.latency_utterances // 4)
    picks = [(i * len(listed) // count, spoken_set.CONDITIONS[i % 2]) for i in range(count)]
    log(f"endofturn: paced, {count} spoken questions x {len(MODES)}")
    delays: dict[str, list[float]] = {mode: [] for mode in MODES}
    for index, condition in picks:
        wav = spoken_set.render(listed[index].text, spoken_set.VOICES[index % 5], condition)
        stream = silence(0.5) + wav.audio + silence(1.5)
        end = _speech_end(stream)
        for mode in MODES:
            delay = _first_sound_after(stream, end, mode, pack, model, streaming)
            if delay is not None:
                delays[mode].append(delay)
    fixed, words = delays.get("fixed"), delays.get("words")
    ratio = statistics.median(words) / statistics.median(fixed) if fixed and words else None
    return {
        "utterances": count,
        "conditions": ["clean", "noise15"],
        "delay": {mode: ms(values) for mode, values in delays.items()},
        "ratio_median": ratio,
        "samples_ms": {mode: [round(1000 * v) for v in values] for mode, values in delays.items()},
    }


def _first_sound_after(
    stream: bytes, end: int, mode: str, pack: Any, model: Any, streaming: Any
) -> float | None:
    """Seconds from the real end of speech (sample ``end``) to the first chunk of the reply
    to the turn holding it, the stream played at the pace of speech."""
    from allvoice.conversation.dialogue import DialogueContext, DialogueState, step
    from allvoice.ports import DEFAULT_VOICE
    from allvoice.understanding import understand_heard

    synthesizer = _synthesizer()
    context = DialogueContext(pack=pack)
    started = time.perf_counter()
    for utterance, _ in turns_of(stream, mode, streaming, model, paced=True):
        if utterance.start_sample + len(utterance.audio.audio) // 2 < end - RATE // 10:
            streaming.recognize(utterance.audio)  # a turn before the end: not timed
            continue
        transcript = streaming.recognize(utterance.audio)
        heard = understand_heard(transcript.text, model, not transcript.in_domain)
        _, reply = step(DialogueState(), heard, context)
        next(iter(synthesizer.synthesize(reply.text, DEFAULT_VOICE)), None)
        return time.perf_counter() - (started + end / RATE)
    return None


@functools.cache
def _synthesizer() -> Any:
    """One synthesizer for the run, made when first needed."""
    from allvoice.speech.tts.synthesizer import Synthesizer

    return Synthesizer()


def splice(samples: bytes, seconds: float) -> bytes:
    """``samples`` with a pause of ``seconds`` of their own room tone inserted at a word
    gap in the middle of the speech (in memory only)."""
    signal = np.frombuffer(samples, "<i2")
    frame = RATE // 100  # 10 ms
    levels = _levels(signal, frame)
    if len(levels) < 20:
        return samples
    loud = np.flatnonzero(levels > 0.1 * levels.max())
    first, last = int(loud[0]), int(loud[-1])
    low, high = first + (last - first) // 4, first + 3 * (last - first) // 4
    if high - low < 3:
        return samples
    smooth = np.convolve(levels, np.ones(3) / 3, mode="same")  # a gap, not a stop consonant
    at = (low + int(np.argmin(smooth[low:high]))) * frame
    window = 10  # the quietest 100 ms of the recording
    sums = np.convolve(levels, np.ones(window), mode="valid")
    quiet = int(np.argmin(sums)) * frame
    tone = signal[quiet : quiet + window * frame]
    length = round(seconds * RATE)
    filler = np.resize(tone, length).astype("<i2")
    return signal[:at].tobytes() + filler.tobytes() + signal[at:].tobytes()


def _speech_end(stream: bytes) -> int:
    """The sample after the last 10 ms whose level is above 2% of the loudest."""
    signal = np.frombuffer(stream, "<i2")
    frame = RATE // 100
    levels = _levels(signal, frame)
    loud = np.flatnonzero(levels > 0.02 * levels.max())
    return (int(loud[-1]) + 1) * frame if len(loud) else len(signal)


def _levels(signal: np.ndarray, frame: int) -> np.ndarray:
    """The RMS level of each whole ``frame`` of ``signal``."""
    count = len(signal) // frame
    return np.sqrt(np.mean(signal[: count * frame].reshape(count, frame).astype(float) ** 2, 1))


def _paced(frames: Sequence[bytes]) -> Iterator[bytes]:
    """Each frame once it would have been recorded: at the end of its time."""
    start = time.perf_counter()
    for number, frame in enumerate(frames):
        wait = start + (number + 1) * BLOCK_SECONDS - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        yield frame


def _chunk(audio: bytes) -> Any:
    from allvoice.ports import AudioChunk

    return AudioChunk(RATE, 2, 1, audio)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.endofturn [--quick|--full]``; ``--whisper
    KEY=VALUE[,KEY=VALUE]`` times the spoken questions only, with Whisper's settings
    changed (``beam_size=1,margin_seconds=2``), saved as ``endofturn_whisper``."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--whisper", metavar="KEY=VALUE,...")
    args, rest = parser.parse_known_args(argv)
    if not args.whisper:
        return part_main("endofturn", run, rest)
    changed = settings_given(args.whisper)
    return part_main("endofturn_whisper", lambda config: run(config, changed), rest)


if __name__ == "__main__":
    sys.exit(main())
