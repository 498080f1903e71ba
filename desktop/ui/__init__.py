"""The PySide6 window: pages, widgets, and the workers that run core calls off the GUI thread.

No business rules here: a widget asks desktop.core and shows the answer."""
