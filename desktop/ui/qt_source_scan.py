"""Stop PySide6 from keeping the source of every module the window imports.

After PySide6 is imported, shiboken looks at each module imported later, to decide whether its
`from __feature__ import ...` switches (snake_case, true_property) apply: it reads the module's whole
source with `inspect.getsource` and looks for the word "PySide6". `inspect` reads through `linecache`,
which keeps every line of every file it has read for the life of the process: about 67,000 lines in the
window, held from the start, when nothing ever shows a traceback of them. The answer stays exactly
shiboken's; only the cached lines are dropped once it is known.
"""

from __future__ import annotations

import linecache
import sys

import PySide6.QtCore  # noqa: F401 - shiboken's feature module exists once a Qt module is imported


def install() -> bool:
    """Wrap shiboken's check; False when this PySide6 has no such check (nothing to do)."""
    feature = sys.modules.get("PySide6.support.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None:
        return False

    def uses_pyside(module) -> bool:
        cached = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in set(linecache.cache) - cached:
                del linecache.cache[name]

    feature._mod_uses_pyside = uses_pyside
    return True


install()
