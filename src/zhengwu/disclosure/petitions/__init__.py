"""The 信访 register (art. 43; 信访工作条例) and public consultations on major matters (art. 42)."""
