"""印信: the register of seals, seal-use cards (用印审批单), taking a seal out, the 用印登记簿, and
introduction letters with their numbered stubs (arts. 82-84)."""
