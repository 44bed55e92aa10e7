"""What a file download needs, whoever serves it (the API, a domain's page): the .docx media type
and the Content-Disposition header. Pure Python."""

from __future__ import annotations

from urllib.parse import quote

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def content_disposition(name: str, fallback: str) -> str:
    """attachment; an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
