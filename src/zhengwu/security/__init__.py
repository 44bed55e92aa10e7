"""Security to 等保 2.0 level 3 (GB/T 22239-2019): identity (lockout, password policy, two-factor
authentication, session lifetimes, the login audit events) and the separated administrators
(三权分立: system, security and audit administrators). See docs/security.md."""
