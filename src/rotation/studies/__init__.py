"""Studies: the research questions' computations (returns, signals, outcomes, seasonality, the Fed...).

Series in, result objects (:mod:`rotation.stats.results`) or plain tables out; no ``record()``, no
display. The signal board (:mod:`rotation.studies.board`) is the one study that reads the store (its
signals are built from many datasets as of a date); :mod:`rotation.studies.answer` reads it through the board.
"""
