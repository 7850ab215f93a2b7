"""Audio in and out: the pipeline's format (``format.py``), WAV files, the microphone, the
endpointer that cuts speech into utterances, playback, earcons and barge-in."""
