"""政务公开 and the public's voice (arts. 33, 35-37, 42, 43, 89): proactive disclosure with its queue,
release gate and the public site /public/ (this app); requests for information (依申请公开) and the
舆情 register (sub-app zhengwu.disclosure.requests); the 信访 register and public consultations
(sub-app zhengwu.disclosure.petitions). Office pages under /disclosure/; each sub-app lists its
sections on the index through its AppConfig's `disclosure_sections`."""
