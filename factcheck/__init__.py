"""factcheck: fact-check the numbers in news copy.

Stages (each a module with plain data types between them):
text -> :mod:`factcheck.document` -> :mod:`factcheck.mentions` -> :mod:`factcheck.frames`
-> claims (:mod:`factcheck.extract`) -> report (:mod:`factcheck.report`).
"""

__version__ = "0.1.0"
SCHEMA = "factcheck.report/1"
