"""Qt-free core: the GUI, the CLI and the tests all drive these modules the same way.

Importing PySide6 anywhere under this package is forbidden (tests/test_architecture.py checks it).
"""
