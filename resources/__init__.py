"""Data files shipped with medscribe (icons, stylesheet, name lists, sample transcript).

Installed as the ``medscribe.resources`` package; load with ``importlib.resources``.
"""
