"""The domain recognizer on real speech, generated here with espeak-ng and flite.

The voices and conditions here (clean, white noise at 20 dB, 10% faster) are the
development set; benchmarks/spoken_set.py keeps other voices, phrasings and conditions
held out.
"""

from __future__ import annotations

import array
import random
import re
import shutil
import subprocess
import wave
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from allvoice.content.pack import Pack, Section, load_pack
from allvoice.errors import AudioError, DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr import lexicon
from allvoice.speech.asr.cache import cache_folder
from allvoice.speech.asr.corpus import corpus_sentences, emergency_form, spoken_form, symptom_form
from allvoice.speech.asr.lm import build_arpa, domain_model
from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
from allvoice.speech.asr.recognizer import make_recognizer

HAVE_VOICES = all(shutil.which(tool) for tool in ("espeak-ng", "flite", "sox"))
needs_voices = pytest.mark.skipif(not HAVE_VOICES, reason="needs espeak-ng, flite and sox")

VOICES = ("espeak:en-us", "flite:slt", "espeak:en-us+f3", "flite:kal16", "espeak:en+m3")
CONDITIONS = ("clean", "noise20", "speed110")

# (what is said, words the transcript must contain); every section, symptoms, controls.
QUESTIONS = (
    ("what is acute lymphocytic leukemia", "lymphocytic leukemia"),
    ("what does bone marrow do", "marrow"),
    ("can adults get a l l", "adults"),
    ("what are the symptoms of leukemia", "symptoms"),
    ("is bone pain a sign of leukemia", "bone pain"),
    ("what are the early warning signs", "signs"),
    ("when should i see a doctor", "doctor"),
    ("could it be the flu", "flu"),
    ("what causes leukemia", "causes"),
    ("is it inherited", "inherited"),
    ("what are lymphoblasts", "lymphoblasts"),
    ("what are the risk factors", "risk"),
    ("does radiation raise the risk", "radiation"),
    ("is my other child at risk", "child risk"),
    ("where does this information come from", "information"),
    ("can i trust this", "trust"),
    ("my son has nosebleeds", "nosebleeds"),
    ("my daughter has been tired and pale for three weeks", "tired pale weeks"),
    ("he has swollen glands and a fever", "swollen fever"),
    ("my child keeps getting infections", "infections"),
    ("she cannot breathe", "breathe"),
    ("say that again", "again"),
    ("stop", "stop"),
    ("speak slower", "slower"),
    ("louder please", "louder"),
    ("tell me more", "more"),
    ("goodbye", "goodbye"),
    ("yes please", "yes"),
)
OUT_OF_DOMAIN = (
    "who won the football match last night",
    "preheat the oven and add two cups of flour",
    "the stock market fell sharply this morning",
    "i would like to book a flight to paris on friday",
    "stir the onions gently until they turn brown",
    "the museum opens at ten and closes at six",
)


@dataclass(frozen=True)
class Heard:
    """One question, as spoken and as heard by both models."""

    text: str
    """What was said."""
    keys: tuple[str, ...]
    """Words the transcript must contain."""
    domain: Transcript
    """The domain model's transcript."""
    general: Transcript
    """The stock general model's transcript."""

    def hit(self, transcript: Transcript) -> bool:
        """All key words heard ("nose bleeds" counts as "nosebleeds")."""
        words = set(transcript.text.split()) | {transcript.text.replace(" ", "")}
        joined = transcript.text.replace("nose bleeds", "nosebleeds").replace("good bye", "goodbye")
        return all(key in words or key in joined.split() for key in self.keys)


def speak(text: str, voice: str, condition: str, folder: Path) -> AudioChunk:
    """Synthesize ``text`` as 16 kHz mono, then apply the condition."""
    engine, name = voice.split(":", 1)
    raw, out = folder / "raw.wav", folder / "out.wav"
    if engine == "espeak":
        subprocess.run(["espeak-ng", "-v", name, "-w", str(raw), text], check=True)
    else:
        subprocess.run(["flite", "-voice", name, "-t", text, "-o", str(raw)], check=True)
    effects = ["tempo", "-s", "1.1"] if condition == "speed110" else []
    sox = ["sox", "-D", str(raw), "-r", "16000", "-b", "16", "-c", "1", str(out), *effects]
    subprocess.run(sox, check=True)
    with wave.open(str(out), "rb") as wav:
        audio = wav.readframes(wav.getnframes())
    if condition == "noise20":
        audio = white_noise(audio, snr_db=20.0, seed=text)
    return AudioChunk(16000, 2, 1, audio)


def white_noise(audio: bytes, snr_db: float, seed: str) -> bytes:
    samples = array.array("h", audio)
    rng = random.Random(seed)
    power = sum(s * s for s in samples) / len(samples)
    sigma = (power / 10 ** (snr_db / 10)) ** 0.5
    noisy = (max(-32768, min(32767, round(s + rng.gauss(0, sigma)))) for s in samples)
    return array.array("h", noisy).tobytes()


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


@pytest.fixture(scope="module")
def domain(cache_home: Path, pack: Pack) -> PocketSphinxRecognizer:
    return PocketSphinxRecognizer(pack)


@pytest.fixture(scope="module")
def heard(domain: PocketSphinxRecognizer, tmp_path_factory: pytest.TempPathFactory) -> list[Heard]:
    general = PocketSphinxRecognizer(general=True)
    folder = tmp_path_factory.mktemp("speech")
    results = []
    for index, (text, keys) in enumerate(QUESTIONS):
        voice = VOICES[index % len(VOICES)]
        condition = CONDITIONS[index % len(CONDITIONS)]
        chunk = speak(text, voice, condition, folder)
        results.append(
            Heard(text, tuple(keys.split()), domain.recognize(chunk), general.recognize(chunk))
        )
    return results


def _misses(results: list[Heard], model: str) -> list[str]:
    return [
        f"{r.text!r} -> {getattr(r, model).text!r}" for r in results if not r.hit(getattr(r, model))
    ]


@pytest.mark.audio
@needs_voices
def test_domain_model_hears_the_key_words(heard: list[Heard]) -> None:
    misses = _misses(heard, "domain")
    assert len(misses) <= len(heard) // 6, misses


@pytest.mark.audio
@needs_voices
def test_domain_model_beats_the_general_model_on_the_same_audio(heard: list[Heard]) -> None:
    domain_hits = sum(r.hit(r.domain) for r in heard)
    general_hits = sum(r.hit(r.general) for r in heard)
    assert domain_hits >= general_hits + len(heard) // 4, (domain_hits, general_hits)


@pytest.mark.audio
@needs_voices
def test_correct_transcripts_are_in_domain(heard: list[Heard]) -> None:
    correct = [r for r in heard if r.hit(r.domain)]
    rejected = [r.text for r in correct if not r.domain.in_domain]
    assert len(rejected) <= max(1, len(correct) // 10), rejected
    assert all(0.0 <= r.domain.confidence <= 1.0 for r in heard)


@pytest.mark.audio
@needs_voices
def test_speech_outside_the_domain_is_flagged(
    domain: PocketSphinxRecognizer, tmp_path: Path
) -> None:
    transcripts = [
        domain.recognize(speak(text, voice, "clean", tmp_path))
        for text in OUT_OF_DOMAIN
        for voice in ("espeak:en-us", "espeak:en-us+f3", "flite:slt")
    ]
    flagged = [t for t in transcripts if not t.in_domain]
    assert len(flagged) >= 2 * len(transcripts) // 3, transcripts
    assert all(t.confidence < 0.5 for t in flagged)


@pytest.mark.audio
@needs_voices
def test_audio_fed_block_by_block_is_decoded_as_it_arrives(
    domain: PocketSphinxRecognizer, tmp_path: Path
) -> None:
    chunk = speak("what are the risk factors for leukemia", "flite:slt", "clean", tmp_path)
    block = 3200  # 100 ms
    for start in range(0, len(chunk.audio), block):
        domain.feed(chunk.audio[start : start + block])
    transcript = domain.finish()
    assert {"risk", "factors", "leukemia"} <= set(transcript.text.split())
    assert domain.finish() == Transcript("", 0.0)


@pytest.mark.audio
def test_silence_gives_an_empty_transcript(domain: PocketSphinxRecognizer) -> None:
    transcript = domain.recognize(AudioChunk(16000, 2, 1, bytes(32000)))
    assert transcript.text == "" or len(transcript.text.split()) <= 1


def test_pocketsphinx_logs_nothing(
    cache_home: Path, pack: Pack, capfd: pytest.CaptureFixture[str]
) -> None:
    recognizer = PocketSphinxRecognizer(pack)
    recognizer.recognize(AudioChunk(16000, 2, 1, bytes(3200)))
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_wrong_audio_format_is_refused(domain: PocketSphinxRecognizer) -> None:
    with pytest.raises(AudioError, match="16 kHz"):
        domain.recognize(AudioChunk(8000, 2, 1, bytes(1600)))


def test_the_cache_is_reused_and_rebuilt_when_the_pack_changes(
    pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "allvoice"
    first = domain_model(pack)
    again = domain_model(pack)
    assert first.rebuilt and not again.rebuilt
    assert again.key == first.key and again.lm_path == first.lm_path
    assert first.lm_path.is_relative_to(tmp_path / "allvoice")
    changed = _with_question(pack, "is hypodiploid leukemia the same")
    rebuilt = domain_model(changed)
    assert rebuilt.rebuilt and rebuilt.key != first.key
    assert "hypodiploid" in rebuilt.vocabulary and "hypodiploid" not in first.vocabulary
    assert "\nhypodiploid " in rebuilt.dict_path.read_text()


def _with_question(pack: Pack, question: str) -> Pack:
    section: Section = pack.sections[0]
    changed = replace(section, questions=(*section.questions, question))
    return replace(pack, sections=(changed, *pack.sections[1:]))


def test_the_lexicon_covers_every_corpus_word(pack: Pack) -> None:
    words = {word for sentence in corpus_sentences(pack) for word in sentence.split()}
    reference = lexicon.reference_dictionary()
    missing = sorted(word for word in words if word not in reference)
    assert {"lymphocytic", "lymphoblasts", "nosebleeds"} <= set(missing)
    assert [word for word in missing if word not in lexicon.DOMAIN] == []
    dictionary = lexicon.build_dictionary(words)
    assert {line.split()[0].split("(")[0] for line in dictionary.splitlines()} == words


def test_unknown_words_get_a_guessed_pronunciation(monkeypatch: pytest.MonkeyPatch) -> None:
    phones = set("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R "
                 "S SH T TH UH UW V W Y Z ZH".split())  # fmt: skip
    if shutil.which("espeak-ng"):
        guessed = lexicon.guess_pronunciations(["blinatumomab"])["blinatumomab"]
        assert guessed.startswith("B L IH N") and set(guessed.split()) <= phones
    espeak_ipa = "l\u02cc\u026amf\u0259s\u02c8\u026a\u027e\u026ak"  # "lymphocytic"
    assert lexicon.ipa_to_arpabet(espeak_ipa) == "L IH M F AH S IH T IH K"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    guessed = lexicon.guess_pronunciations(["zorbulax"])["zorbulax"]
    assert guessed and set(guessed.split()) <= phones


def test_the_corpus_is_normalised_deterministic_and_large(pack: Pack) -> None:
    sentences = corpus_sentences(pack)
    assert sentences == corpus_sentences(pack)
    assert len(sentences) > 3000
    assert all(sentence == spoken_form(sentence) for sentence in sentences)
    assert spoken_form("I've had it for 3 Weeks!") == "i've had it for three weeks"
    joined = set(sentences)
    assert "what are the symptoms of a l l" in joined
    assert any(s.startswith("my ") and "nosebleeds" in s for s in joined)
    assert any("for three weeks" in s for s in joined)
    assert "say that again" in joined and "cannot breathe" in joined


def test_symptoms_and_emergencies_are_put_into_sentences_grammatically(pack: Pack) -> None:
    """ "my son has bone pain", "his bones hurt", "she is pale", "he keeps getting sick";
    never "has bones hurt" or "is bone pain", which would teach the model nonsense."""
    assert [symptom_form(p) for p in ("bone pain", "bones hurt", "pale", "keeps getting sick")] == [
        "noun", "clause", "state", "action"
    ]  # fmt: skip
    assert symptom_form("pale skin") == "noun" and symptom_form("always tired") == "state"
    assert [emergency_form(p) for p in ("seizure", "passed out", "choking", "lips are blue")] == [
        "noun", "action", "state", "clause"
    ]  # fmt: skip
    assert emergency_form("call an ambulance") == "raw"
    sentences = corpus_sentences(pack)
    for wrong in ("has bones hurt", "has gums bleed", "son is bone pain", "has keeps getting"):
        assert not [s for s in sentences if re.search(rf"\b{wrong}\b", s)], wrong
    for right in ("bones hurt", "keeps getting sick", "passed out"):
        assert any(s.split()[0] in ("my", "his", "her", "he", "she", "our") and right in s
                   for s in sentences), right  # fmt: skip


def test_arpa_model_is_normalised() -> None:
    arpa = build_arpa(["a b c", "a b d", "b c"])
    assert "ngram 3=" in arpa and "\\end\\" in arpa
    unigrams = arpa.split("\\1-grams:")[1].split("\\2-grams:")[0].split("\n")
    total = sum(10 ** float(line.split()[0]) for line in unigrams if line and "<s>" not in line)
    assert abs(total - 1.0) < 1e-3


def test_engine_choice_fails_clearly(pack: Pack, tmp_path: Path) -> None:
    with pytest.raises(DeviceError, match="--asr-model"):
        make_recognizer("vosk", None, pack)
    with pytest.raises(DeviceError, match=r"(?i)vosk"):
        make_recognizer("vosk", tmp_path, pack)
    with pytest.raises(DeviceError, match="Unknown speech engine"):
        make_recognizer("whisperish", None, pack)


def test_decoder_settings_can_be_tried_even_those_of_the_acoustic_model(
    cache_home: Path, pack: Pack
) -> None:
    """``settings`` override the model's feat.params too (pocketsphinx would keep those)."""
    tried = PocketSphinxRecognizer(pack, settings={"cmn": "live", "lw": 9.0})
    config = tried._decoder.config  # what the decoder really runs with
    assert (config["cmn"], config["lw"]) == ("live", 9.0)
    assert PocketSphinxRecognizer(pack)._decoder.config["cmn"] == "batch"
