"""Errors of the model manager. Each says what happened and what to do, in English and Chinese.

`str(exc)` is the English text (the CLI's one line); `exc.zh` / `exc.text("zh")` give the Chinese one
for the GUI.
"""

from __future__ import annotations

from desktop.core.errors import ModelFileError, OfflineError, ShopscribeError


class _Bilingual:
    """Mixin: keep both languages, show English by default."""

    en: str
    zh: str

    def _set_text(self, en: str, zh: str) -> None:
        self.en, self.zh = en, zh
        Exception.__init__(self, en)  # type: ignore[misc]

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


# --- model files (GGUF header checks) -------------------------------------------------------------


class GGUFFileError(_Bilingual, ModelFileError):
    """A model file that must not be handed to llama.cpp."""

    def __init__(self, path: str, en: str, zh: str) -> None:
        self.path = str(path)
        self._set_text(en, zh)


class ModelFileMissingError(GGUFFileError):
    pass


class EmptyModelFileError(GGUFFileError):
    pass


class HtmlInsteadOfModelError(GGUFFileError):
    pass


class LfsPointerError(GGUFFileError):
    pass


class NotGGUFError(GGUFFileError):
    pass


class UnsupportedGGUFVersionError(GGUFFileError):
    pass


class TruncatedModelFileError(GGUFFileError):
    def __init__(self, path: str, en: str, zh: str, offset: int = 0) -> None:
        super().__init__(path, en, zh)
        self.offset = offset


class AbsurdGGUFValueError(GGUFFileError):
    """A count or a length beyond any real model: a damaged or hostile file."""


class UnknownGGUFValueTypeError(GGUFFileError):
    pass


class UnsupportedTensorTypeError(GGUFFileError):
    pass


# --- registry -------------------------------------------------------------------------------------


class RegistryError(_Bilingual, ShopscribeError):
    def __init__(self, en: str, zh: str) -> None:
        self._set_text(en, zh)


class ModelNotFoundError(RegistryError):
    pass


class EmbeddedModelRemovalError(RegistryError):
    pass


class ModelSettingsError(RegistryError):
    pass


# --- hub and downloads ----------------------------------------------------------------------------


class HubError(_Bilingual, ShopscribeError):
    """Search or download failed for a reason on the Hub's side or the network's."""

    def __init__(self, en: str, zh: str) -> None:
        self._set_text(en, zh)


class HubOfflineError(_Bilingual, OfflineError):
    def __init__(self, en: str, zh: str) -> None:
        self._set_text(en, zh)


class GatedRepoAccessError(HubError):
    pass


class UnsafeFilenameError(HubError):
    pass


class DownloadError(HubError):
    pass


class DownloadPaused(DownloadError):
    """Not a failure: the partial file and its state are kept; the same call resumes."""


class DownloadCancelled(DownloadError):
    """The partial file was deleted."""


class ChecksumMismatchError(DownloadError):
    pass


class NotEnoughDiskError(DownloadError):
    def __init__(self, en: str, zh: str, needed: int = 0, free: int = 0) -> None:
        super().__init__(en, zh)
        self.needed, self.free = needed, free
