"""The demo's News stories. All invented for this project; any likeness is accidental."""

from __future__ import annotations

from masthead.newsroom.demo.content import (
    JOEL,
    LENA,
    PhotoSpec,
    Story,
    h,
    img,
    p,
    q,
)

STORIES = [
    Story(
        key="tram-extension",
        section="news",
        headline="Green line tram extension to Eastfield approved after six-hour debate",
        standfirst=(
            "Councillors voted 31 to 24 to take the tram three kilometres east, ending a decade "
            "of studies. Construction could start next spring; the fight over who pays is not over."
        ),
        dateline="Ardenmouth",
        authors=["tomas-reyes", "hannah-lindqvist"],
        tags=["Transport", "Trams", "City council", "Eastfield"],
        lead=PhotoSpec(
            "street",
            "Green line tram on Northgate Road",
            "A green tram running down the middle of a street lined with terraced buildings",
            "A green line tram on Northgate Road. The extension will run from the station to "
            "Eastfield.",
            JOEL,
            {"time": "day", "paint": (40, 150, 90)},
        ),
        body=[
            p(
                "Ardenmouth's green line will reach Eastfield after councillors approved a £148m "
                "extension late on Tuesday night, at the end of a debate that ran for more than "
                "six hours and drew one of the largest public galleries the council chamber has "
                "seen in years."
            ),
            p(
                "The plan adds three kilometres of track and four stops, running from Ardenmouth "
                "Central along Eastfield Road to the retail park and the new homes at Brickfields. "
                "Trams would run every eight minutes at peak times, and the council's transport "
                "team says the journey from Eastfield to the city centre would fall from 28 "
                "minutes by bus to 14."
            ),
            h("A decade of studies"),
            p(
                "The extension was first proposed in 2014 and has been studied four times since. "
                "Supporters said Eastfield, where a third of households do not own a car, had "
                "waited long enough. Opponents argued that the money would go further on buses, "
                "which could serve more of the city sooner."
            ),
            q(
                "People in Eastfield have been consulted, surveyed and studied for ten years. "
                "Tonight we finally gave them a tram instead of another report.",
                "Cllr Nadia Iqbal, cabinet member for transport",
            ),
            p(
                "The vote does not settle the funding. The council expects a regional transport "
                "grant to cover two-thirds of the cost, with the rest borrowed against future fare "
                "income and a levy on large private car parks. Cllr Graham Tulley, who leads the "
                "opposition, said the levy would “punish the very shops the tram is supposed to "
                "help”."
            ),
            p(
                "If the grant is confirmed in the autumn, work to move pipes and cables would "
                "begin next spring and the first trams could reach Eastfield in 2029."
            ),
        ],
    ),
    Story(
        key="school-breakfasts",
        section="news",
        headline="Free breakfasts for every primary school pupil in Ardenmouth from September",
        standfirst=(
            "The council will fund a morning meal for all 14,000 primary pupils after a pilot "
            "in nine schools found that attendance and punctuality improved."
        ),
        dateline="Ardenmouth",
        authors=["samuel-okafor"],
        tags=["Education", "Health", "Food", "City council"],
        lead=PhotoSpec(
            "interior",
            "Breakfast club at St Anne's primary, Saltmarsh",
            "Children and staff at a long table in a bright room with tall windows",
            "The breakfast club at St Anne's primary in Saltmarsh, one of nine schools in the "
            "pilot.",
            LENA,
            {"kind": "library"},
        ),
        body=[
            p(
                "Every primary school pupil in Ardenmouth will be offered a free breakfast from "
                "September, the council announced on Wednesday, extending a pilot that has run in "
                "nine schools for the past two years."
            ),
            p(
                "The scheme will cost £2.1m a year, paid from the council's public health budget. "
                "Schools can choose between a sit-down breakfast club before lessons and a "
                "“grab and go” option at the classroom door, which the pilot found reached older "
                "pupils who were reluctant to arrive early."
            ),
            h("What the pilot found"),
            p(
                "An evaluation by the University of Ardenmouth found that in the pilot schools, "
                "late arrivals fell by almost a third and attendance rose by 1.4 percentage "
                "points compared with similar schools nearby. Teachers reported fewer children "
                "complaining of hunger in morning lessons."
            ),
            q(
                "You can't teach fractions to a child who hasn't eaten since lunchtime yesterday. "
                "This is the cheapest attendance policy we have ever had.",
                "Joanne Mercer, headteacher, St Anne's primary",
            ),
            p(
                "Some heads have asked how schools without kitchens will cope. The council said "
                "it would offer equipment grants of up to £5,000 a school and send deliveries from "
                "the central kitchen in Northgate where needed."
            ),
        ],
    ),
    Story(
        key="swing-bridge",
        section="news",
        headline="Old Quay swing bridge to close for eight weeks of repairs",
        standfirst=(
            "Pedestrians and cyclists face a 1.5km detour from next month while corroded "
            "machinery is replaced on the 1890s bridge."
        ),
        dateline="Ardenmouth",
        authors=["hannah-lindqvist"],
        tags=["Transport", "Cycling", "Old Quay", "Infrastructure"],
        updated_after_hours=26,
        read=["tram-extension"],
        lead=PhotoSpec(
            "river",
            "Old Quay swing bridge at dusk",
            "An iron bridge of several arches crossing the river at dusk",
            "The Old Quay swing bridge, which opens about 600 times a year to let boats into the "
            "inner harbour.",
            JOEL,
            {"time": "dusk", "bridge": True},
        ),
        body=[
            p(
                "The Old Quay swing bridge will close to everyone for eight weeks from the start "
                "of next month so that engineers can replace the corroded machinery that turns "
                "it, Ardenmouth City Council said on Monday."
            ),
            p(
                "The bridge, which opened in 1894 and was restored in the 1990s, carries about "
                "9,000 pedestrians and cyclists on a typical weekday. During the closure the "
                "shortest route between the Old Quay and the station will be via Tannery Bridge, "
                "a detour of about 1.5km."
            ),
            h("Why now"),
            p(
                "An inspection last winter found the gearing under the deck so worn that the "
                "bridge could jam while open, stranding boats and cutting the crossing for days. "
                "The council says replacing it in one go is cheaper and quicker than a string of "
                "weekend closures."
            ),
            q(
                "We would rather close it for eight weeks on our terms than have it fail on a busy "
                "Friday in August.",
                "Lewis Amankwah, the council's head of highways",
            ),
            p(
                "A free shuttle bus will run between the two ends of the bridge every ten minutes "
                "from 7am to 8pm, and extra bike racks will go in at both ends. Cycling groups "
                "asked for a temporary footbridge; the council said boat traffic in the inner "
                "harbour made that impractical."
            ),
            p(
                "Update: the council has confirmed that the shuttle will carry bicycles, with room "
                "for six on a rear rack, and will run until 11pm on Fridays and Saturdays."
            ),
        ],
    ),
    Story(
        key="library-sundays",
        section="news",
        headline="Northgate library to open on Sundays as volunteers step in",
        standfirst=(
            "A rota of 60 volunteers will keep the doors open on Sunday afternoons, the busiest "
            "time for families and students, from next month."
        ),
        dateline="Northgate",
        authors=["samuel-okafor"],
        tags=["Libraries", "Northgate", "Volunteering", "City council"],
        lead=PhotoSpec(
            "interior",
            "Reading room at Northgate library",
            "A reading room with shelves of coloured books below tall windows",
            "The reading room at Northgate library, which reopened after refurbishment last year.",
            JOEL,
            {"kind": "library"},
        ),
        body=[
            p(
                "Northgate library will open on Sunday afternoons from next month, for the first "
                "time in its 110-year history, thanks to a rota of 60 volunteers and a small grant "
                "from a local housing association."
            ),
            p(
                "The library will open from 1pm to 5pm, with one member of staff and three or "
                "four volunteers on each shift. Volunteers will help with the homework club, the "
                "computers and the children's corner; staff will handle anything involving "
                "borrowers' personal details."
            ),
            h("A place to study"),
            p(
                "A survey of library users last year found that Sunday opening was the change they "
                "most wanted. Many said they had nowhere quiet to study at home, and the nearest "
                "library open on Sundays is in the city centre, two bus journeys away."
            ),
            q(
                "My flat has three kids and one table. On Sundays I'll have somewhere to sit and "
                "revise that isn't a bus shelter.",
                "Aliyah, 17, a student at Northgate sixth-form college",
            ),
            p(
                "Library unions have said volunteers should not replace paid staff. The council "
                "said no posts would be lost and that the arrangement would be reviewed after a "
                "year."
            ),
        ],
    ),
    Story(
        key="hospital-waits",
        section="news",
        headline="Emergency waits at Ardenmouth General fall for a third month, but winter looms",
        standfirst=(
            "More patients are being seen within four hours, helped by a new urgent treatment "
            "centre. Staff warn that the gains are fragile."
        ),
        dateline="Ardenmouth",
        authors=["samuel-okafor"],
        tags=["Health", "Ardenmouth General", "Data"],
        comment_mode="premoderated",
        updated_after_hours=4,
        lead=PhotoSpec(
            "skyline",
            "Ardenmouth General hospital at night",
            "City buildings with lit windows at night, reflected in water",
            "Ardenmouth General, whose emergency department sees about 320 patients a day.",
            JOEL,
            {"time": "night", "water": False},
        ),
        body=[
            p(
                "Waiting times in the emergency department at Ardenmouth General have improved "
                "for the third month running, with 74 per cent of patients admitted, treated or "
                "discharged within four hours last month, up from 61 per cent in the spring."
            ),
            p(
                "The hospital says much of the improvement comes from the urgent treatment centre "
                "that opened beside the emergency department in March, which sees patients with "
                "sprains, minor burns and infections and frees doctors for the most seriously ill."
            ),
            h("Fragile gains"),
            p(
                "Staff say the gains could be wiped out by a hard winter. The hospital still has "
                "about 60 patients on any given day who are well enough to leave but are waiting "
                "for care at home or a place in a care home, which blocks beds for new admissions."
            ),
            q(
                "We've proved we can do better when the system flows. The question is whether we "
                "can keep it flowing in January.",
                "Dr Sunita Rao, clinical director for emergency medicine",
            ),
            p(
                "The council and the health board have agreed to fund 40 extra home-care packages "
                "over the winter. The hospital is also asking people with minor illnesses to "
                "call the advice line or visit a pharmacy first."
            ),
        ],
    ),
    Story(
        key="housing-co-op",
        section="news",
        headline=(
            "Tenants buy their block: Tannery Row co-op completes city's first community purchase"
        ),
        standfirst=(
            "Residents of Gasworks Court raised £1.2m in community shares and a housing loan to "
            "buy the 36 flats they rent, after the landlord put the building up for sale."
        ),
        dateline="Tannery Row",
        authors=["samuel-okafor", "tomas-reyes"],
        tags=["Housing", "Tannery Row", "City council"],
        lead=PhotoSpec(
            "skyline",
            "Gasworks Court, Tannery Row",
            "A row of apartment blocks against a dawn sky",
            "Gasworks Court, whose 36 flats are now owned by the tenants' co-operative.",
            JOEL,
            {"time": "dawn", "water": False},
        ),
        body=[
            p(
                "When the owner of Gasworks Court announced last year that the block would be "
                "sold, its tenants expected eviction notices. Instead, on Friday, they became "
                "their own landlord."
            ),
            p(
                "The Gasworks Court Housing Co-operative completed the purchase of the 36-flat "
                "building for £3.9m, funded by a £2.7m loan from a social housing lender, £1.2m "
                "raised by selling community shares to 800 investors, and a council grant towards "
                "legal costs."
            ),
            h("How it worked"),
            p(
                "Under the co-op's rules, each household has one vote, rents will rise no faster "
                "than inflation, and any surplus goes into repairs and a fund to help buy other "
                "blocks. Shareholders, many of them neighbours, can expect a modest return after "
                "three years."
            ),
            img(
                PhotoSpec(
                    "interior",
                    "Co-op members at their first general meeting",
                    "A group of people around a long table in a bright room",
                    "Members at the co-op's first general meeting in the Tannery Row community "
                    "hall.",
                    JOEL,
                    {"kind": "workshop"},
                )
            ),
            q(
                "We spent a year thinking we'd lose our homes. Now we're the ones deciding "
                "whether to fix the lift first or the windows.",
                "Grace Mbeki, chair of the co-operative",
            ),
            p(
                "The council, which helped with legal advice, said it would set up a fund to "
                "support similar purchases. Housing campaigners say the model works only where "
                "tenants have time, skills and a willing seller, and is no substitute for "
                "building more social homes."
            ),
        ],
    ),
    Story(
        key="contractor-charged",
        section="news",
        headline="Former council contractor charged over Saltmarsh housing repairs",
        standfirst=(
            "The director of a building firm that carried out repairs on council homes after the "
            "Saltmarsh flood has been charged with fraud. He will appear in court next month."
        ),
        dateline="Ardenmouth",
        authors=["tomas-reyes"],
        tags=["Courts", "Housing", "Saltmarsh"],
        comment_mode="legal",
        comments_closed_message=(
            "Comments are closed on this story because criminal proceedings are active. "
            "Readers should avoid commenting anywhere on the case, so that a fair trial is "
            "not put at risk."
        ),
        read=["flood-wall"],
        body=[
            p(
                "The director of a building firm that repaired council homes in Saltmarsh after "
                "the flood three winters ago has been charged with fraud by false representation, "
                "police said on Thursday."
            ),
            p(
                "The 52-year-old man, from Hillcrest, is accused of submitting invoices for work "
                "that was not carried out on 64 council properties between 2021 and 2022. He was "
                "released on bail and will appear before Ardenmouth magistrates next month."
            ),
            p(
                "Ardenmouth City Council ended its contract with the firm last year after an "
                "internal audit. A council spokesperson said it had co-operated fully with the "
                "police investigation and that affected tenants had been contacted."
            ),
            p("The council has said it will not comment further while proceedings are active."),
        ],
    ),
    Story(
        key="cycle-lanes",
        section="news",
        headline="Hillcrest cycle lane trial to be made permanent after crashes fall",
        standfirst=(
            "Injuries on Hillcrest Road fell by 40 per cent during the 18-month trial, and cycling "
            "more than doubled. Some traders are still unhappy."
        ),
        dateline="Hillcrest",
        authors=["hannah-lindqvist"],
        tags=["Transport", "Cycling", "Hillcrest", "City council"],
        read=["tram-extension", "swing-bridge"],
        lead=PhotoSpec(
            "street",
            "Hillcrest Road on a wet morning",
            "A rain-soaked city street seen down its length, with a tram in the distance",
            "Hillcrest Road during the morning rush. The trial lanes run on both sides.",
            JOEL,
            {"time": "overcast", "rain": True},
        ),
        body=[
            p(
                "The protected cycle lanes on Hillcrest Road will be made permanent, the council "
                "decided on Wednesday, after an 18-month trial in which injuries on the road fell "
                "by 40 per cent and the number of people cycling more than doubled."
            ),
            p(
                "The lanes, separated from traffic by kerbs and planters, run for 2.2km from "
                "Castle Mount to the university. Counters recorded an average of 2,900 cycle "
                "journeys a day in the last quarter, against 1,300 before the trial."
            ),
            h("Traders divided"),
            p(
                "Some shopkeepers on the road say the loss of 40 parking spaces has hurt trade, "
                "and a petition against the lanes gathered 1,100 signatures. A survey of "
                "businesses found opinion split roughly evenly."
            ),
            q(
                "My daughter cycles to school on this road now. Two years ago I wouldn't have let "
                "her walk along it.",
                "Sarah Leung, parent",
            ),
            p(
                "The council will add a loading bay and 12 short-stay parking spaces on side "
                "streets in response to traders' concerns. Permanent kerbs and drainage will be "
                "built next summer."
            ),
        ],
    ),
    Story(
        key="marjorie-fenn",
        section="news",
        headline="Tributes to Marjorie Fenn, the harbour pilot who knew every sandbank",
        standfirst=(
            "The first woman to pilot ships into Ardenmouth, Fenn guided more than 6,000 vessels "
            "up the estuary in a 34-year career. She has died aged 88."
        ),
        dateline="Ardenmouth",
        authors=["tomas-reyes"],
        tags=["Obituaries", "Port", "Old Quay", "History"],
        comment_mode="closed",
        read=["port-record"],
        lead=PhotoSpec(
            "harbour",
            "The estuary at first light",
            "Calm water at the mouth of a harbour at dawn, with boats",
            "The Arden estuary at dawn, the channel Marjorie Fenn piloted for 34 years.",
            LENA,
            {"time": "dawn", "cranes": 0, "boats": 2},
        ),
        body=[
            p(
                "Marjorie Fenn, who became the first woman licensed to pilot ships into the Port "
                "of Ardenmouth in 1968 and went on to guide more than 6,000 vessels through the "
                "shifting sandbanks of the Arden estuary, has died aged 88."
            ),
            p(
                "Born in Saltmarsh, the daughter of a lighthouse keeper, she learned the river "
                "from her father's boat and joined the port as a clerk at 16. Refused a place on "
                "the pilots' training scheme twice, she qualified on her third application and "
                "worked until her retirement in 2002."
            ),
            h("The river in her head"),
            p(
                "Colleagues said she carried a map of the estuary in her head that no chart could "
                "match, and she was famous for bringing ships in on nights when others would "
                "not. In 1979 she guided a disabled tanker to safety in a gale, for which she "
                "received a bravery award."
            ),
            q(
                "She'd look at the water and tell you where the bank had moved since last week. "
                "She was usually right, and the survey boat usually caught up a month later.",
                "Colin Marr, former harbour master",
            ),
            p(
                "She is survived by her son, two grandchildren and her partner of 40 years, June. "
                "The port will lower its flags on the day of her funeral."
            ),
        ],
    ),
]
