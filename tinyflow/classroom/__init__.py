"""The classroom: exercise checks (``checks.py``) and the release of student notebooks (``course.py``).

Exercise notebooks use ``from tinyflow import checks``; the package loads this on first use, so
``import tinyflow`` stays quick.
"""
