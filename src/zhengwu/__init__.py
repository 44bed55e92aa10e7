"""zhengwu (政务): a district government's rules of procedure, made executable."""

__version__ = "0.1.0"
