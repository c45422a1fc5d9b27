"""Typed settings, their JSON file, environment overrides and the app's folders."""

from medscribe.settings.model import Settings, StepToggles, Timeouts
from medscribe.settings.store import load_settings, save_settings

__all__ = ["Settings", "StepToggles", "Timeouts", "load_settings", "save_settings"]
