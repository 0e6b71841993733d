"""Addresses as mail carries them, and recipients in batches: light enough for the CLI to import."""

from __future__ import annotations

from collections.abc import Sequence

#: Recipients per SMTP transaction: below every common provider's limit (Gmail 100, M365 500).
BATCH_SIZE = 50


def normal_address(addr_spec: str) -> str:
    """`addr@host` validated, the host in ASCII (IDNA); ValueError says why it is not valid."""
    from email_validator import validate_email  # imported when used: --help stays instant

    valid = validate_email(addr_spec, check_deliverability=False)  # EmailNotValidError: ValueError
    return valid.ascii_email or valid.normalized  # a UTF-8 mailbox keeps it: it needs SMTPUTF8


def batches(addresses: Sequence[str], size: int = BATCH_SIZE) -> list[list[str]]:
    """Batches of at most `size`; addresses needing SMTPUTF8 go in batches of their own."""
    plain = [a for a in addresses if a.isascii()]
    utf8 = [a for a in addresses if not a.isascii()]
    return [group[i:i + size] for group in (plain, utf8) for i in range(0, len(group), size)]
