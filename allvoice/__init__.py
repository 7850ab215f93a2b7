"""allvoice: an offline, accessible voice assistant for health information.

The pipeline, one module per stage::

    microphone or file -> speech.recognizer -> understand -> dialogue -> speech.speaker
                          (ports.Recognizer)    (pure)       (pure)      (ports.Speaker)

Text mode replaces the two ends with ``textio``; the pure core in the middle is the same.
"""

__version__ = "0.1.0"
