"""Latency per stage, from the end of speech to the first sample of the reply.

Each utterance is a cached WAV of the spoken set (questions spread over the voices and
conditions), padded with silence and cut by the real endpointer (``EndpointerSettings()``,
as voice mode uses), then timed stage by stage in one process:

* decode: ``recognize()`` on the whole utterance, and incrementally: ``feed()`` it in
  30 ms blocks as it is being "spoken", then time only ``finish()`` after the last block;
* understanding: ``understand_heard()`` on the transcript (``under_doubt`` when the
  recognizer doubted it), as ``Conversation.turn`` does in voice mode;
* dialogue step: ``dialogue.step()`` in one running conversation;
* first sound: ``Synthesizer.synthesize(reply)`` up to its first chunk;
* total: finish + understand + step + first chunk, per utterance.

The endpointer's own wait (the end-of-speech pause, ``pause_seconds``) comes before all
of this and is reported separately, as measured on the same audio. ``spoken_stop`` times
the headphones stop command: from the end of the spoken word to ``speaker.stop()``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

from benchmarks import spoken_set
from benchmarks.common import Config, Result, log, ms, part_main, silence

BLOCK_SECONDS = 0.030
LEAD_SILENCE = 0.5
TAIL_SILENCE = 1.5
WARM_UP = 3
RATE = 16_000


def run(config: Config) -> Result:
    """Time every stage on ``config.latency_utterances`` utterances."""
    from allvoice.content.library import load_content
    from allvoice.conversation.dialogue import DialogueContext, DialogueState, step
    from allvoice.ports import DEFAULT_VOICE, AudioChunk, Voice
    from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
    from allvoice.speech.audio.endpointer import EndpointerSettings, utterances_from_chunk
    from allvoice.speech.tts.synthesizer import Synthesizer
    from allvoice.understanding import build_model, understand_heard

    pack = load_content()
    model = build_model(pack)
    context = DialogueContext(pack=pack)
    recognizer = PocketSphinxRecognizer(pack)
    synthesizer = Synthesizer()
    endpointing = EndpointerSettings()
    questions = spoken_set.load_questions()
    count = config.latency_utterances
    picks = [(i * len(questions) // count, spoken_set.CONDITIONS[i % 5]) for i in range(count)]
    block = round(BLOCK_SECONDS * RATE) * 2
    stages: dict[str, list[float]] = {
        name: []
        for name in (
            "recognize",
            "finish",
            "feed_rtf",
            "understand",
            "step",
            "first_audio",
            "total",
            "total_whole",
            "endpointer_wait",
        )
    }
    by_condition: dict[str, list[float]] = {c: [] for c in spoken_set.CONDITIONS}
    state = DialogueState()
    fallbacks = 0
    log(f"latency: {count} utterances (+{WARM_UP} warm-up)")
    for number, (index, condition) in enumerate(picks[:WARM_UP] + picks):
        warm_up = number < WARM_UP
        question = questions[index]
        wav = spoken_set.render(question.text, spoken_set.VOICES[index % 5], condition)
        stream = silence(LEAD_SILENCE) + wav.audio + silence(TAIL_SILENCE)
        found = list(utterances_from_chunk(AudioChunk(RATE, 2, 1, stream), endpointing))
        if found:
            last = found[-1]
            end = min(len(stream) // 2, last.speech_end_sample + round(0.15 * RATE))
            audio = stream[found[0].start_sample * 2 : end * 2]
            wait = (last.detected_sample - last.speech_end_sample) / RATE
        else:  # the detector heard nothing: decode the recording as it is
            fallbacks += 0 if warm_up else 1
            audio, wait = wav.audio, float("nan")
        utterance = AudioChunk(RATE, 2, 1, audio)

        started = time.perf_counter()
        recognizer.recognize(utterance)
        recognize_s = time.perf_counter() - started

        started = time.perf_counter()
        for start in range(0, len(audio), block):
            recognizer.feed(audio[start : start + block])
        feed_s = time.perf_counter() - started
        started = time.perf_counter()
        transcript = recognizer.finish()
        finish_s = time.perf_counter() - started

        started = time.perf_counter()
        heard = understand_heard(transcript.text, model, not transcript.in_domain)
        understand_s = time.perf_counter() - started

        started = time.perf_counter()
        new_state, reply = step(state, heard, context)
        step_s = time.perf_counter() - started
        state = DialogueState() if new_state.ended else new_state

        voice = Voice(rate=new_state.rate, volume=new_state.volume, pitch=DEFAULT_VOICE.pitch)
        started = time.perf_counter()
        next(iter(synthesizer.synthesize(reply.text, voice)), None)
        first_s = time.perf_counter() - started
        if warm_up:
            continue
        stages["recognize"].append(recognize_s)
        stages["finish"].append(finish_s)
        stages["feed_rtf"].append(feed_s / (len(audio) / 2 / RATE))
        stages["understand"].append(understand_s)
        stages["step"].append(step_s)
        stages["first_audio"].append(first_s)
        stages["total"].append(finish_s + understand_s + step_s + first_s)
        stages["total_whole"].append(recognize_s + understand_s + step_s + first_s)
        if wait == wait:  # not NaN
            stages["endpointer_wait"].append(wait)
        by_condition[condition].append(finish_s + understand_s + step_s + first_s)
        if number % 20 == 0:
            log(f"latency: {number - WARM_UP}/{count}")
    rtf = stages.pop("feed_rtf")
    stop = spoken_stop(pack, model)
    live = paced(pack, model, picks[: config.latency_utterances // 4 or 1])
    return {
        "paced": live,
        "spoken_stop": stop,
        "utterances": count,
        "block_ms": 1000 * BLOCK_SECONDS,
        "pause_seconds": endpointing.pause_seconds,
        "padding_seconds": endpointing.padding_seconds,
        "endpointer_fallbacks": fallbacks,
        "stages": {name: ms(values) for name, values in stages.items()},
        "feed_real_time_factor": {
            "median": statistics.median(rtf),
            "max": max(rtf),
        },
        "total_by_condition": {c: ms(v) for c, v in by_condition.items()},
        "samples_ms": {
            name: [round(1000 * v, 3) for v in stages[name]]
            for name in ("total", "total_whole", "finish", "recognize")
        },
    }


def paced(pack: Any, model: Any, picks: Sequence[tuple[int, str]]) -> Result:
    """End of the end-of-speech pause to the first sample of the reply, as in voice mode,
    for Whisper (the default) and PocketSphinx side by side on the same utterances.

    Each utterance, with 0.5 s of silence before and 1.5 s after, is played to the real
    endpointer in 30 ms frames at the pace of speech, with the recognizer as its sink
    (``StreamingRecognizer``: PocketSphinx decodes as the audio comes, Whisper starts at
    the pause). The clock starts when the endpointer hands the utterance over, that is at
    the end of its pause, and stops at the first synthesized chunk of the reply; the
    decoding it waits for, understanding and the dialogue step are inside. Whole-utterance
    decoding (``recognize``, what ``ask --wav`` does per question) is timed on the same
    audio afterwards."""
    from allvoice.conversation.dialogue import DialogueContext, DialogueState, step
    from allvoice.ports import DEFAULT_VOICE, AudioChunk
    from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
    from allvoice.speech.asr.streaming import StreamingRecognizer
    from allvoice.speech.asr.whisper import WhisperRecognizer
    from allvoice.speech.audio.endpointer import EndpointerSettings, utterances_from_frames
    from allvoice.speech.tts.synthesizer import Synthesizer
    from allvoice.understanding import understand_heard

    engines = {"whisper": WhisperRecognizer(pack), "pocketsphinx": PocketSphinxRecognizer(pack)}
    synthesizer, context = Synthesizer(), DialogueContext(pack=pack)
    questions = spoken_set.load_questions()
    block = round(BLOCK_SECONDS * RATE) * 2
    delays: dict[str, list[float]] = {name: [] for name in engines}
    whole: dict[str, list[float]] = {name: [] for name in engines}
    log(f"latency: paced, {len(picks)} utterances x {len(engines)} recognizers")
    for index, condition in picks:
        wav = spoken_set.render(questions[index].text, spoken_set.VOICES[index % 5], condition)
        stream = silence(LEAD_SILENCE) + wav.audio + silence(TAIL_SILENCE)
        for name, engine in engines.items():
            streaming = StreamingRecognizer(engine)
            frames = _paced_frames([stream[i : i + block] for i in range(0, len(stream), block)])
            for utterance in utterances_from_frames(frames, EndpointerSettings(), streaming):
                started = time.perf_counter()
                transcript = streaming.recognize(utterance.audio)
                heard = understand_heard(transcript.text, model, not transcript.in_domain)
                _, reply = step(DialogueState(), heard, context)
                next(iter(synthesizer.synthesize(reply.text, DEFAULT_VOICE)), None)
                delays[name].append(time.perf_counter() - started)
            started = time.perf_counter()
            engine.recognize(AudioChunk(RATE, 2, 1, wav.audio))
            whole[name].append(time.perf_counter() - started)
    whisper = engines["whisper"]
    assert isinstance(whisper, WhisperRecognizer)
    return {
        "utterances": len(picks),
        "end_of_pause_to_first_sound": {name: ms(values) for name, values in delays.items()},
        "recognize_whole": {name: ms(values) for name, values in whole.items()},
        "speculations": whisper.speculations,
        "speculations_used": whisper.speculations_used,
    }


def _paced_frames(frames: Sequence[bytes]) -> Iterator[bytes]:
    """The frames, each no sooner than it would come from a microphone."""
    start = time.perf_counter()
    for number, frame in enumerate(frames):
        wait = start + number * BLOCK_SECONDS - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        yield frame


STOP_PHRASES = ("stop", "stop talking", "be quiet")


def spoken_stop(pack: Any, model: Any) -> Result:
    """With headphones: from the end of a spoken stop command to ``speaker.stop()``.

    Each stop phrase, said by each voice of the spoken set, with 0.5 s of silence before
    and 1 s after, is fed to a ``StopListener`` in 30 ms frames at the pace of speech; the
    clock starts when the last frame of the word has been fed."""
    from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
    from allvoice.speech.audio.bargein import StopListener
    from allvoice.understanding import understand

    recognizer = PocketSphinxRecognizer(pack)
    delays: list[float] = []
    missed: list[str] = []
    block = round(BLOCK_SECONDS * RATE) * 2
    for voice in spoken_set.VOICES:
        for phrase in STOP_PHRASES:
            word = spoken_set.render(phrase, voice, "clean").audio
            audio = silence(0.5) + word + silence(1.0)
            word_end = len(silence(0.5)) + len(word)
            stopped: list[float] = []
            listener = StopListener(
                recognizer,
                lambda text: understand(text, model).intent == "stop",
                lambda times=stopped: times.append(time.perf_counter()),
            )
            said = 0.0
            for start in range(0, len(audio), block):
                listener.feed(audio[start : start + block])
                if start < word_end <= start + block:
                    said = time.perf_counter()
                time.sleep(BLOCK_SECONDS)
                if stopped:
                    break
            listener.close(timeout=5.0)
            if stopped:
                delays.append(stopped[0] - said)
            else:
                missed.append(f"{voice}: {phrase}")
    log(f"latency: spoken stop heard in {len(delays)} of {len(delays) + len(missed)}")
    return {"heard": len(delays), "missed": missed, "delay": ms(delays) if delays else None}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.latency [--quick|--full]``."""
    return part_main("latency", run, argv)


if __name__ == "__main__":
    sys.exit(main())
