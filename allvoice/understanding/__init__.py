"""Understanding: text -> ``Understanding`` (intent, section, fact, symptoms, who, how long). Pure.

``build_model(pack)`` compiles a content pack once; ``understand(text, model)`` reads a
typed sentence and ``understand_heard(text, model, doubted)`` a recognizer's transcript.
Triage comes first (``triage``), then symptoms and everyday signs (``signs``), short
commands (``controls``), what a question is about (``topics``, ``aspects``) and the
details around it (``details``). The words behind all this are data: the repairs and
controls of ``data/intents.toml``, the word sets of ``data/words.toml``
(``wordsets``), the red flags of ``data/triage.toml``.
"""

from allvoice.understanding.model import Model, build_model
from allvoice.understanding.results import Duration, Understanding
from allvoice.understanding.spoken import understand_heard
from allvoice.understanding.understand import understand

__all__ = ["Duration", "Model", "Understanding", "build_model", "understand", "understand_heard"]
