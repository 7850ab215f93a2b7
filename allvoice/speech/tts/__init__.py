"""Text to speech: ``synthesizer.py`` renders text sentence by sentence (libespeak-ng on
Linux, the platform voice through pyttsx3 elsewhere); ``speaker.py`` says it through the
player or into a WAV file."""
