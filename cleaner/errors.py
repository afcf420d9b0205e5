"""Errors that fail one input. Their message is the one-line cause shown after the input's name."""


class CleanerError(Exception):
    """An input could not be cleaned; the rest of a batch goes on."""


class UndecodableError(CleanerError):
    """The bytes are not text in any encoding we accept (or not under ``--errors strict``)."""


class BinaryInputError(CleanerError):
    """The input is a binary file (an image, an archive, a document format), not text."""


class OutputError(CleanerError):
    """An output could not be written (no space, no permission, exists already)."""
