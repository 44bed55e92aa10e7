"""Build hook for the optional C accelerator; the project metadata lives in pyproject.toml.

`zhengwu.rulebook._fastcal` speeds up `WorkCalendar.add_workdays`; it is optional: when it
cannot be compiled the install goes on and calendar.py uses its pure-Python fallback.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("zhengwu.rulebook._fastcal", ["src/zhengwu/rulebook/_fastcal.c"], optional=True),
    ],
)
