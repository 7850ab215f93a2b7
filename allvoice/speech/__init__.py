"""The audio adapters: WAV files, speech synthesis, playback, microphone, endpointing, earcons.

Everything here trades in ``allvoice.ports.AudioChunk``; the pipeline's own format is
16 kHz, 16-bit, mono (``audio/format.py``). Device and engine failures raise
``DeviceError``, unusable audio raises ``AudioError``.
"""
