"""Errors a merchant can act on: each says what happened and what to do."""


class ShopscribeError(Exception):
    """Base for every error the UI and CLI show as a one-line message (never a traceback)."""


class ModelFileError(ShopscribeError):
    """A model file is missing, unreadable or not a usable GGUF."""


class PromptTooLongError(ShopscribeError):
    """The rendered prompt does not fit in the model's context."""


class TemplateError(ShopscribeError):
    """A template is malformed, unsafe, or a variable it needs is missing."""


class ImportFileError(ShopscribeError):
    """A product file cannot be read; nothing was imported."""


class OfflineError(ShopscribeError):
    """The network was needed but offline mode is on."""
