"""Headless commands: one module per ``medscribe <command>``, each with ``run(args) -> int``."""
