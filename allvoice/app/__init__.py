"""The application edge: everything between the user's terminal and the pure core.

- ``cli``: the ``allvoice`` command's entry point (``main``); errors in one line
- ``parser``: the command line's arguments; ``commands``: what each command does
- ``wiring``: picking the microphone, speaker and engines, with fallbacks
- ``textio`` and ``voice``: text mode and voice mode over one ``Conversation``
- ``settings``: the user's settings file
- ``transcript``, ``summary_file``, ``private``: the files the user asks for, readable by
  the user alone

A flag or a device is fixed here; a misheard word in ``speech``, a misunderstood sentence
in ``understanding``, a wrong reply in ``conversation`` or ``content``.
"""
