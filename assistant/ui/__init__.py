"""The desktop app (the only Qt code). Importing it applies :mod:`assistant.ui.qt_compat` first."""

from . import qt_compat

qt_compat.apply()
