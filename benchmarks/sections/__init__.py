"""The sections of REPORT.md, one module per part, each a ``section()`` that turns the
part's saved result into Markdown lines.

``goals`` sums up every part against the issue's targets; ``format`` holds the number
formatters and the names the sections share; ``benchmarks.report`` puts them in order.
"""
