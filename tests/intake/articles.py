"""Articles written for these tests, in their own words, about councils other
than the seeds' Blackpool. The people are invented; so are the figures."""

from __future__ import annotations

INADEQUATE = """Tameside children's services rated inadequate again

Inspectors have judged children's services in Tameside to be inadequate, the lowest of Ofsted's four grades.

The report followed a three-week inspection in January and found that too many children were left in situations of risk for too long.

Tameside Council said it accepted the findings in full. The council's cabinet member for children's services, Councillor Jane Farrow, said the authority was sorry and would act quickly.

Ofsted said 742 children were in the council's care at the time of the inspection.

Inspectors will return for a monitoring visit in the summer.
"""

APPOINTED = """Croydon names new children's services boss

Croydon Council has appointed Marcus Bell as its new director of children's services.

Mr Bell, who currently works at a neighbouring borough, will take up the post in November.

The department has been led since the spring by interim director of children's services Sarah Quinn.

The council's chief executive, Nina Patel, said the appointment showed the council's commitment to improving services for families.
"""

OVERSPEND = """Children's services overspend grows in Kent

Kent County Council's children's services are forecast to overspend by £14.2m this financial year, a report to the cabinet has shown.

The department overspent by £9.8m in 2022/23, mainly because of the rising cost of placements.

The council spent around £120m on placements for children in care last year, up from £98m the year before.

Cabinet member for integrated children's services Rory Lane said the pressures were shared by councils across the country.

There are currently 1,850 children in Kent's care, including more than 400 unaccompanied asylum-seeking children.
"""

IN_CARE = """More children in Somerset's care

The number of children in Somerset's care has risen to 563, up from 498 in March 2020, according to figures presented to councillors.

Director of children's services Claire Winter told a meeting of the council's children and families scrutiny committee that the council aimed to reduce the number to 520 by March 2024.

About four in ten of the children were living outside the county, she said.
"""

COMMISSIONER = """Commissioner sent in to Slough

The government has appointed a children's services commissioner to Slough after inspectors raised serious concerns about the safety of children.

Commissioner Andrew Fenwick will report by the end of the year on whether the council should keep running the service.

The council was issued with a statutory direction in April, and an improvement notice issued in 2019 remains in place.

Slough Borough Council said it welcomed the support.
"""

TRUST = """Trust to take over Swindon children's services

Children's social care in Swindon will be run by an independent trust, the council confirmed on Monday.

The decision follows an inadequate Ofsted judgement in May last year and a review by a government-appointed commissioner, Dr Priya Shah, who recommended that the services be removed from council control.

The new trust is expected to take over in April 2025 and will employ about 600 staff.

Swindon Borough Council leader Councillor Mark Ellis said the authority would work closely with the trust.
"""

GRANTS = """Family hubs boost for Wigan

Wigan Council has been awarded £2.3m by the Department for Education to expand its family hubs.

The council will also receive £450,000 from the Youth Endowment Fund over three years to support teenagers at risk of exploitation.

Councillor Ann Briggs, cabinet member for children and families, said the money would help families get support earlier.

The borough has 31 family hubs and children's centres.
"""

MENTIONS = """Lessons from Leeds for Bradford

Bradford's children's services are to adopt a way of working first used in Leeds and later taken up in Hull and Doncaster.

Bradford Council said the approach would be introduced across the district next year.

A spokesperson for Bradford Children's Trust said staff had visited Leeds to see the model in practice.
"""

REPLACEMENT = """Dorset picks a permanent children's director

Dorset Council has appointed Helena Marsh as its new director of children's services.

Ms Marsh will join from a council in the Midlands in September.

She replaces Owen Price, who left in April after four years in the job.

Until she arrives the department is led by acting director Ruth Ames.
"""

REINSPECTED = """Walsall children's services still need to improve, inspectors find

Children's services in Walsall still require improvement to be good, according to a new Ofsted report.

The service was last rated requires improvement in 2019.

Walsall Council looks after 610 children, and a further 350 are subject to child protection plans.

The council's director of children's services, Leah Ford, said a new action plan would be drawn up.
"""

NOTICE_LIFTED = """Improvement notice ended at Bedford

The government has lifted an improvement notice placed on Bedford Borough Council's children's services.

The notice was issued in 2016 after Ofsted judged the service inadequate.

At its latest inspection in July, Ofsted rated the council's children's services good.

The council's improvement board, set up in 2016, will now stand down.
"""

SPENDING = """Placement costs climb in Suffolk

Suffolk County Council spent £71m on placements for children in care in 2022-23, up from £49m in 2018-19.

At the end of March 2023 there were 1,020 looked after children in the county, up from 890 five years ago.
"""

DOWNGRADED = """Rutland children's services downgraded

Ofsted has downgraded Rutland County Council's children's services to inadequate, three years after they were judged good.

The council's director of children's services, Alan Reid, has since left the authority.

The government is expected to appoint a commissioner to oversee improvements.
"""

DEPARTURE = """Interim children's director for Lincolnshire

Lincolnshire County Council has named Tom Hardy as its interim director of children's services after the departure of Mia Lowe.

Mr Hardy, previously an assistant director at the council, started in the role on Monday.

Ms Lowe left the council at the end of last month to take up a post elsewhere.
"""

COMPANY = """Children's services company praised by inspectors

Brighter Futures, the company that runs children's services on behalf of Doncaster Council, has been rated good by Ofsted.

The company took over the running of children's services in April 2017, after the council's services were judged inadequate in 2015.

The number of children in its care has risen from 1,900 to 2,100 over the past year, the company said.
"""

DIRECTION = """Direction issued to Medway

The Department for Education has issued Medway Council with a statutory direction after Ofsted found its children's services to be inadequate in August.

The council's leader, Cllr Jo Penn, said she accepted the findings.
"""

DIRECTION_LIFTED = """Government steps back from Calderdale children's services

Calderdale Council's children's services are no longer under government control after the education secretary lifted a statutory direction.

The direction was imposed in 2017, when the service was rated inadequate.

Ofsted judged it good in 2021.

The council will go on spending £3.5m a year on early help, and £400,000 has been set aside for a new youth hub.
"""

EXPECTED_OVERSPEND = """Placement costs push Oldham over budget

Oldham Council expects its children's services to overspend by £4.2m in the current financial year.

Some placements cost more than £6,000 a week, councillors on the children and young people scrutiny committee were told.

In 2021/22 the department overspent by £1.9m.

The director of children's services, Nadia Rahman, said a new placement strategy would be published in the spring.
"""

SUCCESSION = """Hampshire names its next children's director

Hampshire County Council has confirmed the appointment of Grace Obi as director of children's services.

She will start on 1 March, taking over from Neil Hart, who became chief executive of a neighbouring council in the autumn.

The council's children's services have been rated outstanding since 2014.

The number of children on child protection plans has risen to 1,240, from 1,105 in March last year.

The council spent £6.1m more than planned on children's social care last year.
"""
