"""Errors a user can act on; caught once at the edge (CLI, web, ingest loop)."""


class SkazalError(Exception):
    """Base of every error skazal reports to a user."""


class UnreadableInput(SkazalError):
    """The input is not a page skazal can read (empty, binary, too large, undecodable)."""
