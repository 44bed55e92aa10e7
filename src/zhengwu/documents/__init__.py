"""Official documents (公文): drafting, approval and output.

`render.py` maps a document onto the shared GB/T 9704-2012 renderer, `zhengwu.output.gbt9704`
(pure, no Django; the meetings app lays its 纪要 out with it too).
"""
