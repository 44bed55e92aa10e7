"""Shared output formats, below the domain apps: pure renderers (no Django, no models) that any
domain may use. `gbt9704` lays an official document (公文) or a meeting's 纪要 out as .docx in the
GB/T 9704-2012 《党政机关公文格式》 layout; the documents app maps a Document onto it
(documents/render.py), the meetings app its minutes (meetings/minutes_docx.py)."""
