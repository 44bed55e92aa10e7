"""Official documents (公文): drafting, approval and output.

`zhengwu.documents.gbt9704` is the pure renderer (no Django) that lays a document out as .docx
in the GB/T 9704-2012 《党政机关公文格式》 format.
"""
