"""政务事务 (请示报告): leave and absence (arts. 15, 89), foreign affairs, visits and gifts (79-81),
speeches (96) and research (93), coordination bodies (71-74), emergency reports (75) and items for
the 区委, 人大 and 政协 (6, 38, 76-78), the leaders' calendar (94).

`zhengwu.affairs` itself serves the index page /affairs/; each sub-app (leave, foreign, bodies) has
its own models, migrations, services and pages under /affairs/<section>/, and lists its sections on
the index through its AppConfig's `affairs_sections`."""
