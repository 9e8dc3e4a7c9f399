"""Personal-data masks (PIPL), the Python twin of the mask_name / mask_phone SQL macros in data/macros.sql."""
from __future__ import annotations


def mask_name(name: str | None) -> str | None:
    """张伟 -> 张*, 欧阳娜娜 -> 欧***."""
    if not name:
        return name
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str | None) -> str | None:
    """13857801234 -> 138****1234; short numbers are masked whole."""
    if not phone:
        return phone
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return "*" * len(phone)
