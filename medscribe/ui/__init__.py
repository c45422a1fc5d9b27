"""Qt only: main window shell, views, controllers, dialogs, item models."""
