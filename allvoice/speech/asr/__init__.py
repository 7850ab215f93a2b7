"""Speech to text, and where a misheard word is fixed.

``recognizer.py`` chooses the engine (``make_recognizer``); the engines are ``whisper.py``
(the default, its model in ``whisper_model.py``), ``pocketsphinx.py`` and ``vosk.py``;
``streaming.py`` decodes while the user speaks. PocketSphinx's domain language model is
built by ``lm.py`` from the sentences of ``corpus.py`` (templates in ``data/corpus.toml``),
with pronunciations from ``lexicon.py`` (``data/lexicon.toml``), cached by ``cache.py``.
"""
