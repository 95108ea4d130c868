"""The demo stories, oldest first. All invented for this project; any likeness is accidental."""

from __future__ import annotations

from masthead.newsroom.demo.content import (
    CPA_PHOTO,
    GRAPHIC,
    JOEL,
    LENA,
    MERIDIAN_PHOTO,
    NWS_PHOTO,
    PhotoSpec,
    Story,
    h,
    img,
    p,
    q,
)

STORIES = [
    Story(
        key="otters-return",
        section="climate",
        headline="Otters return to the Arden estuary after three decades away",
        standfirst=(
            "Footprints, droppings and a night-camera clip confirm what anglers have suspected "
            "since spring: the river is clean enough for otters again."
        ),
        dateline="Ardenmouth",
        authors=["priya-natarajan"],
        tags=["Wildlife", "River Arden", "Water quality"],
        lead=PhotoSpec(
            "river",
            "Upper Arden estuary at dawn",
            "The river Arden at dawn, with willows along both banks",
            "The upper estuary near Millbrook, where a trail camera caught an otter in May.",
            LENA,
            {"time": "dawn", "bridge": False},
        ),
        body=[
            p(
                "For the first time since the early 1990s, otters are living on the river Arden "
                "within the city limits. Volunteers from the Arden Rivers Trust found footprints "
                "in the mud below Millbrook weir in March, and a trail camera fixed to a fallen "
                "willow recorded an adult otter hunting at dusk in May."
            ),
            p(
                "The trust's ecologist, Rhiannon Hale, said the animals had probably followed the "
                "river down from the hills, where a small population held on through the decades "
                "when the lower Arden was among the most polluted rivers in the region."
            ),
            h("Thirty years of clean-up"),
            p(
                "The return is the clearest sign yet that the long clean-up of the estuary is "
                "working. The closure of the last tannery outfall in 2004, new treatment at the "
                "Saltmarsh sewage works and a decade of agreements with farmers upstream have all "
                "cut the pollution that once left stretches of the river almost lifeless."
            ),
            q(
                "An otter is a verdict on the whole river. It needs fish, it needs cover and it "
                "needs water it can live in. We have all three again.",
                "Rhiannon Hale, Arden Rivers Trust",
            ),
            p(
                "Not everything is fixed. The regional water regulator still rates the estuary as "
                "only “moderate” for ecological health, and storm overflows discharged into the "
                "river on 41 days last year. The trust wants overflow alerts published as they "
                "happen, so that rowers and swimmers can avoid the worst days."
            ),
            p(
                "For now, Ms Hale asks walkers to keep dogs on leads along the Millbrook path and "
                "not to go looking for the holt. “They are shy, and they are back. Let's keep it "
                "that way.”"
            ),
        ],
    ),
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
        key="mackerel-quota",
        section="world",
        headline="Coastal states agree a shared catch limit for migrating mackerel",
        standfirst=(
            "After four years without a deal, fisheries ministers settled on a single limit and a "
            "formula for sharing it, as warming seas push the stock north."
        ),
        dateline="Bergen",
        wire="CPA",
        wire_byline="By Ines Marlow, CPA",
        tags=["Fishing", "Oceans", "Climate science"],
        updated_after_hours=5,
        lead=PhotoSpec(
            "harbour",
            "Fishing boats at their moorings",
            "Small fishing boats moored in a harbour below cranes at dawn",
            "Fishing boats at their moorings. Mackerel have moved north as the sea has warmed.",
            CPA_PHOTO,
            {"time": "dawn", "cranes": 1, "boats": 8},
        ),
        body=[
            p(
                "Coastal states in the north-east Atlantic agreed on Thursday to share a single "
                "catch limit for mackerel, ending four years in which each set its own quota and "
                "the combined catch ran well above scientific advice."
            ),
            p(
                "Under the deal reached in Bergen, next year's total catch will be cut by 18 per "
                "cent, and each country's share will be recalculated every three years from "
                "survey data on where the fish actually spend the summer."
            ),
            h("Following the fish"),
            p(
                "Scientists say mackerel have been moving north and west for two decades as the "
                "sea warms, turning up in large numbers in waters where they were once rare. That "
                "shift broke an older agreement based on historic catches and set off a long "
                "dispute over who had a right to the fish."
            ),
            q(
                "The fish moved and the rules have finally moved with them. This is the first deal "
                "that treats a warming sea as a fact rather than an argument.",
                "A senior negotiator, speaking on condition of anonymity",
            ),
            p(
                "Industry groups gave the deal a cautious welcome, saying the cut was painful but "
                "that a shared limit was the only way to keep the fishery's sustainability label, "
                "which supermarkets increasingly demand."
            ),
            p(
                "The agreement must now be approved by each government. Officials said they "
                "expected that to happen before the season opens in the new year."
            ),
        ],
    ),
    Story(
        key="slipway",
        section="culture",
        headline="Lantern Theatre opens its season with a play about the city's lost shipyards",
        standfirst=(
            "Slipway, by Ardenmouth writer Corin Ashby, puts the last launch at Hallam's yard on "
            "stage, with a cast that includes three former welders."
        ),
        dateline="Ardenmouth",
        authors=["mireille-dufort"],
        tags=["Theatre", "Lantern Theatre", "Old Quay", "History"],
        lead=PhotoSpec(
            "stage",
            "Slipway in rehearsal at the Lantern Theatre",
            "Actors in silhouette under coloured spotlights on a dark stage",
            "Slipway in rehearsal at the Lantern Theatre. It runs until the end of next month.",
            "Handout/Lantern Theatre",
            {"hue": (250, 190, 120)},
        ),
        body=[
            p(
                "The last ship launched from Hallam's yard on the Old Quay slid into the Arden in "
                "1983. Forty years on, the Lantern Theatre has put that morning on stage, and the "
                "first-night audience on Friday included dozens of people who had been there."
            ),
            p(
                "Slipway follows one welding gang through the fortnight before the launch, as "
                "rumours of the yard's closure harden into fact. Corin Ashby spent two years "
                "recording interviews with former workers, and lines from those conversations run "
                "all through the script."
            ),
            h("Welders on stage"),
            p(
                "Three of the twelve-strong cast are former Hallam's men, now in their sixties "
                "and seventies, who answered an open call. They share the stage with professional "
                "actors, and the production does not try to hide the difference: the older men "
                "speak plainly, and it is their scenes that silence the room."
            ),
            q(
                "I never thought I'd stand on a stage. But I stood on that slipway, and nobody "
                "else in the building can say that.",
                "Des Fairley, who worked at Hallam's for 19 years",
            ),
            p(
                "The designer, Ama Boateng, has built the hull of the ship from scaffolding that "
                "rises through the evening until it fills the stage. The launch itself, done with "
                "sound, light and a single falling chain, brought the house to its feet."
            ),
            p(
                "Slipway runs at the Lantern until the end of next month. A quarter of the seats "
                "at every performance cost £8, and anyone who worked in the city's shipyards can "
                "book a free ticket."
            ),
        ],
    ),
    Story(
        key="port-record",
        section="business",
        headline="Port of Ardenmouth has its busiest year since 2008",
        standfirst=(
            "Container traffic rose 11 per cent and the port added 140 jobs, driven by a new "
            "short-sea route and timber for the region's housebuilders."
        ),
        dateline="Ardenmouth",
        authors=["owen-achterberg"],
        tags=["Port", "Jobs", "Shipping"],
        lead=PhotoSpec(
            "harbour",
            "Container cranes on the east quay",
            "Red and blue container cranes over a quay, with ships in the foreground",
            "Cranes at the container terminal on the east quay, which handled 312,000 "
            "containers last year.",
            JOEL,
            {"time": "day", "cranes": 4, "boats": 4},
        ),
        body=[
            p(
                "The Port of Ardenmouth handled more cargo last year than at any time since the "
                "financial crisis, according to figures published on Monday, as a new shipping "
                "route to the continent and a surge in timber imports filled the quays."
            ),
            p(
                "The port moved 312,000 containers, up 11 per cent on the year before, and 2.4 "
                "million tonnes of bulk cargo. Revenue rose to £96m and operating profit to £21m. "
                "Staff numbers grew by 140 to just over 1,100, making the port the city's "
                "fourth-largest private employer."
            ),
            h("Timber and short sea"),
            p(
                "Much of the growth came from a twice-weekly short-sea service launched in March, "
                "which carries trailers across the North Sea and has taken lorries off the "
                "motorway. Timber for the region's housebuilders, much of it for new low-carbon "
                "building methods, made up most of the rest."
            ),
            img(
                PhotoSpec(
                    "harbour",
                    "Short-sea ferry leaving the inner harbour at dusk",
                    "Boats crossing the harbour at dusk with the city behind",
                    "The twice-weekly short-sea service leaving the inner harbour.",
                    JOEL,
                    {"time": "dusk", "cranes": 2, "boats": 5},
                )
            ),
            q(
                "Ten years ago people asked whether this city still needed a port. The answer is "
                "on the quay every morning.",
                "Marcus Oyelaran, chief executive, Port of Ardenmouth",
            ),
            p(
                "The figures strengthen the port's bid to become an assembly base for offshore "
                "wind turbines, which would need a deeper berth and a heavy-lift quay on "
                "reclaimed land at Saltmarsh. Residents there have raised concerns about night "
                "working and lorry traffic."
            ),
            p(
                "Unions welcomed the jobs but said a fifth of them were agency contracts. The "
                "port said it would move 60 agency workers onto permanent contracts by summer."
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
        key="night-trains",
        section="world",
        headline="Night trains add three routes as demand outruns sleeping berths",
        standfirst=(
            "Operators will run sleepers to three more cities next year, but say they cannot buy "
            "carriages quickly enough to meet demand."
        ),
        dateline="Vienna",
        wire="NWS",
        wire_byline="By Jonas Berg, NWS",
        tags=["Transport", "Rail", "Europe"],
        lead=PhotoSpec(
            "mountains",
            "Alpine valley at dusk",
            "Layered mountain ridges under a pink and orange dusk sky",
            "The Alps at dusk, on the route of one of next year's new sleeper services.",
            NWS_PHOTO,
            {"time": "dusk", "snow": True},
        ),
        body=[
            p(
                "Europe's growing network of night trains will add three routes next year, "
                "operators said on Monday, as travellers looking for an alternative to short "
                "flights fill sleeper carriages faster than new ones can be built."
            ),
            p(
                "The new services will link central Europe with the Baltic coast, the Adriatic "
                "and the Low Countries, running three or four nights a week at first. Operators "
                "said occupancy on existing routes averaged more than 85 per cent last year, and "
                "many winter trains sold out weeks in advance."
            ),
            h("Carriages in short supply"),
            p(
                "The main constraint is rolling stock. Only a handful of manufacturers build "
                "sleeper carriages, and orders placed three years ago are still being delivered. "
                "Some operators have refurbished decades-old coaches to start services sooner."
            ),
            q(
                "We could sell every berth twice over. What we cannot do is conjure carriages out "
                "of thin air.",
                "A spokesperson for one of the operators",
            ),
            p(
                "Passenger groups want a common booking system, saying a ticket for a journey "
                "across several countries is still hard to buy in one go. Regulators have said "
                "they will look at cross-border ticketing later this year."
            ),
        ],
    ),
    Story(
        key="heat-map",
        section="climate",
        headline=(
            "Ardenmouth's hottest streets mapped: parts of Northgate run 5C warmer than the park"
        ),
        standfirst=(
            "A summer of readings from volunteers' sensors shows which neighbourhoods bake, and "
            "they are the ones with the fewest trees and the most older residents."
        ),
        dateline="Ardenmouth",
        authors=["priya-natarajan"],
        tags=["Heatwaves", "Climate adaptation", "Trees", "Northgate", "Data"],
        lead=PhotoSpec(
            "street",
            "Stanmore Terrace, Northgate, on a summer afternoon",
            "A street of brick terraces under a clear sky, with no trees",
            "Stanmore Terrace in Northgate, where sensors recorded the city's highest night-time "
            "temperatures.",
            LENA,
            {"time": "day", "vehicle": "none"},
        ),
        body=[
            p(
                "On the hottest night of last summer, the air on Stanmore Terrace in Northgate "
                "was still 26C at two in the morning. Two kilometres away, under the oaks of "
                "Castle Mount park, it had fallen to 21C."
            ),
            p(
                "Those readings come from 212 small temperature sensors that volunteers fixed to "
                "railings, drainpipes and garden fences across Ardenmouth between June and "
                "September, in a project run by the University of Ardenmouth and the Courier. "
                "Together they give the city its first street-by-street picture of where heat "
                "builds up and stays."
            ),
            img(
                PhotoSpec(
                    "abstract",
                    "Ardenmouth night-time heat map",
                    "An abstract graphic of overlapping warm-coloured shapes and rising bars",
                    "The heat map, built from 212 volunteer sensors. Warmer colours stayed hotter "
                    "overnight.",
                    GRAPHIC,
                    {"palette": "warm"},
                )
            ),
            h("Where the heat lingers"),
            p(
                "The pattern is stark. The warmest places at night were the dense terraces of "
                "Northgate and Tannery Row and the retail parks of Eastfield, where tarmac and "
                "brick soak up the sun and give it back after dark. The coolest were near the "
                "river and in streets with mature trees, which were on average 2.7C cooler at "
                "night."
            ),
            q(
                "Night-time heat is what hurts people. If your bedroom never cools down, your body "
                "never recovers, and that's when older people end up in hospital.",
                "Dr Ifeoma Chukwu, University of Ardenmouth",
            ),
            p(
                "The map also shows who lives in the hottest streets. Census figures suggest the "
                "ten hottest neighbourhoods have a larger share of residents over 75 than the "
                "city as a whole, and fewer homes with gardens."
            ),
            p(
                "The council says the findings will decide where it plants the next 3,000 street "
                "trees and where it opens cool rooms during heatwaves."
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
        key="meanwhile-leases",
        section="business",
        headline="Empty shops fill up as Quay Street landlords try ‘meanwhile’ leases",  # noqa: RUF001
        standfirst=(
            "A scheme that lets new businesses take vacant units almost rent-free for up to a year "
            "has halved the number of empty shops on the city's oldest high street."
        ),
        dateline="Ardenmouth",
        authors=["owen-achterberg"],
        tags=["High street", "Small business", "Old Quay"],
        lead=PhotoSpec(
            "market",
            "Saturday market on Quay Street",
            "Market stalls with striped awnings and shoppers in front of city buildings",
            "The Saturday market on Quay Street, where empty units have fallen from 22 to 11.",
            LENA,
            {"time": "day"},
        ),
        body=[
            p(
                "Two years ago, one shop in five on Quay Street stood empty. Today it is one in "
                "ten, and the difference is a short legal document that most landlords on the "
                "street had never heard of."
            ),
            p(
                "Under the council-backed scheme, owners of empty units let them to new "
                "businesses on “meanwhile” leases of three to twelve months, charging only "
                "service costs. The council waives business rates for the period, and in return "
                "the landlord can take the unit back at a month's notice if a long-term tenant "
                "comes along."
            ),
            h("From pop-up to permanent"),
            p(
                "Of the 23 businesses that have used the scheme, 14 are still trading and nine "
                "have signed full leases. They include a repair café, a children's bookshop, two "
                "cafés and a studio that rents sewing machines by the hour."
            ),
            img(
                PhotoSpec(
                    "interior",
                    "Inside Mend & Make on Quay Street",
                    "People working at a long table in a room with shelves and tall windows",
                    "Mend & Make, a repair café that moved into a former bank on a meanwhile "
                    "lease.",
                    LENA,
                    {"kind": "workshop"},
                )
            ),
            q(
                "We'd never have afforded a shop on Quay Street. A year rent-free let us find out "
                "whether people wanted us. It turns out they did.",
                "Beth Ocampo, co-founder of Mend & Make",
            ),
            p(
                "Landlords say the scheme has helped them too: occupied shops are insured more "
                "cheaply, suffer less vandalism and are easier to let. The council plans to "
                "extend it to Northgate Road and Eastfield's district centre in the autumn."
            ),
        ],
    ),
    Story(
        key="glacier-survey",
        section="world",
        headline="Alpine glaciers lost a record share of their ice last year, survey finds",
        standfirst=(
            "A warm spring with little snow and a long summer heatwave left some glaciers three "
            "metres thinner, according to the annual survey."
        ),
        dateline="Zurich",
        wire="Meridian",
        wire_byline="Meridian News",
        tags=["Glaciers", "Climate science", "Europe"],
        lead=PhotoSpec(
            "mountains",
            "Glaciated peaks in the western Alps",
            "Snow-capped mountain ridges under a blue sky",
            "Peaks in the western Alps. Surveyors measured thinning of up to three metres.",
            MERIDIAN_PHOTO,
            {"time": "day", "snow": True},
        ),
        body=[
            p(
                "Glaciers in the Alps lost about 4 per cent of their remaining volume last year, "
                "the largest share since measurements began, glaciologists said on Tuesday."
            ),
            p(
                "Teams measured ice thickness on dozens of glaciers using stakes drilled into the "
                "ice, snow pits and radar. At some of the lower sites the surface dropped by more "
                "than three metres over the summer."
            ),
            h("Little snow, long heat"),
            p(
                "Researchers blamed a combination of a dry winter, which left a thin blanket of "
                "snow to protect the ice, and an early and long summer heatwave. Saharan dust "
                "that settled on the snow in spring darkened its surface and made it melt faster."
            ),
            q(
                "Years like this used to be extreme. On the current path they will be ordinary "
                "well before the middle of the century.",
                "A glaciologist involved in the survey",
            ),
            p(
                "Small glaciers are disappearing altogether; several monitored for decades have "
                "been removed from the survey because too little ice remains to measure. The "
                "loss matters far downstream, where meltwater sustains rivers through dry summers."
            ),
        ],
    ),
    Story(
        key="flood-wall",
        section="climate",
        headline="Saltmarsh flood wall takes shape as insurers watch closely",
        standfirst=(
            "The £62m defence will protect 2,300 homes from a once-in-200-years tide. For many "
            "residents, it is also the difference between affordable insurance and none."
        ),
        dateline="Saltmarsh",
        authors=["priya-natarajan"],
        tags=["Flooding", "Climate adaptation", "Saltmarsh", "River Arden", "Infrastructure"],
        read=["otters-return"],
        lead=PhotoSpec(
            "river",
            "Flooded fields near Saltmarsh",
            "Houses standing in brown floodwater under a grey sky",
            "Floodwater around homes on the Saltmarsh levels in the winter storm of three years "
            "ago.",
            LENA,
            {"time": "overcast", "bridge": False, "flood": True},
        ),
        body=[
            p(
                "A grey concrete wall is rising along the Saltmarsh bank of the Arden, and for "
                "the people behind it, every metre counts. When it is finished next year, the "
                "£62m scheme will protect 2,300 homes and 140 businesses from a tidal surge of "
                "the size expected once in 200 years."
            ),
            p(
                "Three winters ago a storm surge overtopped the old earth bank and flooded 380 "
                "homes, some to a depth of more than a metre. Many families spent a year in "
                "rented rooms while their houses dried out."
            ),
            h("Insurance at stake"),
            p(
                "Since then, some residents have struggled to find insurance at any price. "
                "Brokers say the new wall, and the lower flood risk rating it should bring, will "
                "make cover available again for most homes in the area."
            ),
            img(
                PhotoSpec(
                    "river",
                    "The new flood wall under construction",
                    "A wide river between green banks with trees, under a grey sky",
                    "The river at Saltmarsh. The new wall follows the east bank for 2.8km.",
                    JOEL,
                    {"time": "overcast", "bridge": False},
                )
            ),
            q(
                "After the flood, we couldn't get insured. We stayed because this is home, but "
                "every high tide I'd be up at night watching the water.",
                "Paula Grenville, resident of Marsh Lane",
            ),
            p(
                "Engineers have designed the wall so it can be raised by another 60cm later in the "
                "century if sea levels rise faster than expected. The scheme also restores 40 "
                "hectares of salt marsh downstream, which absorbs some of a surge's energy and "
                "gives wading birds back a feeding ground."
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
        key="museum-of-making",
        section="culture",
        headline="Museum of Making reopens with a whole floor given over to repair",
        standfirst=(
            "After a two-year refit, the museum in the old rope works invites visitors to fix "
            "things rather than just look at them."
        ),
        dateline="Ardenmouth",
        authors=["mireille-dufort"],
        tags=["Museums", "History", "Repair"],
        lead=PhotoSpec(
            "interior",
            "The repair floor at the Museum of Making",
            "People at a long workbench in a high room with shelves of tools and tall windows",
            "The repair floor, where volunteers help visitors fix lamps, bikes and clothes.",
            LENA,
            {"kind": "workshop"},
        ),
        body=[
            p(
                "The Museum of Making reopened on Saturday after a £9m refurbishment of the "
                "Victorian rope works that has housed it since 1986. Queues stretched along "
                "Ropewalk Lane before the doors opened."
            ),
            p(
                "The galleries still tell the story of the city's industries, from rope and sail "
                "to biscuits and bicycles, but the museum has cleared its top floor for something "
                "new: a working repair shop where visitors bring broken things and mend them with "
                "volunteers' help."
            ),
            img(
                PhotoSpec(
                    "interior",
                    "Tool wall at the Museum of Making",
                    "Shelves of coloured tools and parts along a workshop wall",
                    "Tools donated by former factory workers line the walls of the repair floor.",
                    LENA,
                    {"kind": "workshop"},
                )
            ),
            h("Objects with a second life"),
            p(
                "On the first day, volunteers fixed 47 items, including a 1960s radio, a child's "
                "scooter and a wedding dress with a torn hem. Each repair is logged on a wall "
                "display, and some of the stories will go into the collection."
            ),
            q(
                "This city made things for 200 years. Mending them is part of the same story, and "
                "it's one people can join in with.",
                "Farida Sayed, director of the Museum of Making",
            ),
            p(
                "Entry remains free. The repair floor is open Thursday to Sunday, and the museum "
                "asks visitors to book a bench slot online for larger items."
            ),
        ],
    ),
    Story(
        key="seaweed-packaging",
        section="business",
        headline="University spin-out raises £4m to turn seaweed into food packaging",
        standfirst=(
            "Kelpform, founded by two Ardenmouth chemists, will build a pilot plant on the "
            "Eastfield business park and hire 30 people."
        ),
        dateline="Eastfield",
        authors=["owen-achterberg"],
        tags=["Small business", "Jobs", "University of Ardenmouth", "Eastfield"],
        lead=PhotoSpec(
            "abstract",
            "Kelpform packaging samples (illustration)",
            "An abstract composition of green and yellow translucent shapes",
            "Kelpform's films are made from farmed seaweed and break down in garden compost.",
            GRAPHIC,
            {"palette": "green"},
        ),
        body=[
            p(
                "A company spun out of the University of Ardenmouth has raised £4m to build a "
                "pilot plant that turns farmed seaweed into film for food packaging, in one of "
                "the largest investments in a local start-up in recent years."
            ),
            p(
                "Kelpform was founded three years ago by chemists Dr Yusuf Demir and Dr Clara "
                "Whitlock, who developed a way to make a clear, flexible film from seaweed that "
                "can seal sandwiches and wrap fresh produce, and breaks down in a garden compost "
                "heap in about six weeks."
            ),
            h("From lab to factory"),
            p(
                "The new plant on the Eastfield business park will produce enough film for about "
                "20 million sandwich packs a year. The company says it has trial agreements with "
                "two regional food producers and a chain of cafés."
            ),
            q(
                "Everyone wants to get rid of plastic film. The hard part isn't the chemistry; "
                "it's making millions of metres of it at a price a sandwich maker will pay.",
                "Dr Clara Whitlock, co-founder of Kelpform",
            ),
            p(
                "The round was led by a regional investment fund, with the university keeping a "
                "stake. Kelpform expects to hire 30 people over two years, most of them process "
                "technicians, and will offer apprenticeships with Ardenmouth College."
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
        key="street-trees",
        section="climate",
        headline="Ten thousand street trees: city plants its way towards a shade target",
        standfirst=(
            "The council is a third of the way to its goal, and the heat map is now deciding "
            "where the next saplings go."
        ),
        dateline="Ardenmouth",
        authors=["priya-natarajan", "tomas-reyes"],
        tags=["Trees", "Climate adaptation", "City council", "Northgate"],
        read=["heat-map"],
        lead=PhotoSpec(
            "forest",
            "Saplings in the council tree nursery",
            "Rows of young conifers and broadleaf trees in morning mist",
            "Young trees at the council's nursery in Hillcrest, ready for planting in November.",
            LENA,
            {"time": "dawn", "fog": 0.6},
        ),
        body=[
            p(
                "Ardenmouth has planted 3,400 street trees in three years, a third of the way to "
                "its target of 10,000 by the end of the decade, according to a report to the "
                "council's environment committee on Thursday."
            ),
            p(
                "The pace will pick up this winter. Officials say the next 3,000 trees will go "
                "first to the streets the Courier's heat map identified as the hottest at night, "
                "starting with Northgate, Tannery Row and the estates around Eastfield."
            ),
            h("Shade where it's needed"),
            p(
                "Planting in dense terraced streets is harder and dearer than in parks: pavements "
                "are narrow, cables and pipes run under them, and each tree needs a specially "
                "built pit. The council has budgeted £1,400 a tree in those streets, compared "
                "with about £300 in open ground."
            ),
            img(
                PhotoSpec(
                    "street",
                    "A newly planted street in Tannery Row",
                    "A terraced street in summer sun, seen down its length",
                    "Tannery Row, where 120 trees will be planted this winter.",
                    LENA,
                    {"time": "day", "vehicle": "none"},
                )
            ),
            q(
                "A tree planted outside a pensioner's window in Northgate does more good than a "
                "hundred in a country park. We're putting them where the heat is.",
                "Cllr Owen Pryce, cabinet member for environment",
            ),
            p(
                "Residents can ask for a tree outside their home through the council website. The "
                "council asks them to water new trees in their first two summers; about one in "
                "eight saplings has died so far, mostly in dry spells."
            ),
        ],
    ),
    Story(
        key="cool-rooms",
        section="world",
        headline="Southern European cities open ‘cool rooms’ as an early heatwave settles in",  # noqa: RUF001
        standfirst=(
            "Libraries, museums and community centres are staying open late as temperatures pass "
            "40C weeks ahead of the usual peak."
        ),
        dateline="Seville",
        wire="CPA",
        wire_byline="By Tomás Ibarra, CPA",
        tags=["Heatwaves", "Climate adaptation", "Health", "Europe"],
        read=["heat-map"],
        lead=PhotoSpec(
            "skyline",
            "City rooftops in the evening heat",
            "City blocks silhouetted against an orange evening sky",
            "Rooftops at dusk. Night-time temperatures have stayed above 25C for a week.",
            CPA_PHOTO,
            {"time": "dusk", "water": False},
        ),
        body=[
            p(
                "Cities across southern Europe opened air-conditioned “cool rooms” in libraries, "
                "museums and community centres on Wednesday, as an unusually early heatwave pushed "
                "afternoon temperatures above 40C."
            ),
            p(
                "Officials urged older people, those with heart and lung conditions and parents "
                "of small children to stay out of the sun between noon and early evening, and to "
                "use the cool rooms if their homes could not be kept cool."
            ),
            h("Nights without relief"),
            p(
                "Health authorities say the greatest danger comes from hot nights. In several "
                "cities the temperature has not dropped below 25C for a week, leaving people no "
                "chance to recover from the heat of the day."
            ),
            q(
                "We plan for heat now the way we used to plan for snow. Every summer starts "
                "earlier and ends later.",
                "A city health official",
            ),
            p(
                "Forecasters expect the heat to ease slightly at the weekend before building "
                "again next week."
            ),
        ],
    ),
    Story(
        key="harbour-in-winter",
        section="culture",
        headline="Review: A Harbour in Winter is the novel Ardenmouth has been waiting for",
        standfirst=(
            "Marguerite Osei's second novel follows three generations of a ferry family through "
            "one hard winter on the Arden. It is quiet, funny and devastating."
        ),
        dateline="",
        authors=["mireille-dufort"],
        tags=["Books", "Review", "Old Quay"],
        lead=PhotoSpec(
            "harbour",
            "Winter morning on the inner harbour",
            "Small boats on still grey water in front of low city buildings",
            "The inner harbour on a winter morning, the setting for much of the novel.",
            LENA,
            {"time": "overcast", "cranes": 0, "boats": 3},
        ),
        body=[
            p(
                "Every city gets the novel it deserves eventually, and Ardenmouth has waited a "
                "long time for this one. A Harbour in Winter, the second book by Marguerite Osei, "
                "takes place over the hardest winter the Arden ferry has known, and rarely leaves "
                "the half-mile of water between the Old Quay and the Saltmarsh slip."
            ),
            p(
                "The Barrow family have run the ferry for three generations. Ivy, the "
                "grandmother, still steers on foggy mornings because nobody else can; her son Ray "
                "wants to sell to the council; his daughter Kit has come home from university "
                "without telling anyone why."
            ),
            h("Small boat, big weather"),
            p(
                "Osei writes the river as weather and as work: the ice on the ropes, the "
                "passengers who pay in biscuits, the tide tables stuck to the cabin wall. The "
                "comedy is dry and frequent, which makes the turn in the final third, when a "
                "storm closes the crossing for a week, land all the harder."
            ),
            q(
                "The river does not care who you are. That is the only fair thing about it.",
                "Ivy Barrow, in A Harbour in Winter",
            ),
            p(
                "If the book has a weakness, it is Ray, whose arguments for selling up are made "
                "too easy to dismiss. But this is a generous, exact and deeply local novel, and "
                "readers who have never crossed the Arden will feel they have by the end."
            ),
            p("A Harbour in Winter is published by Quayside Press at £16.99."),
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
        key="tannery-bakery",
        section="business",
        headline="The sourdough economy: how one Tannery Row bakery grew to 40 staff",
        standfirst=(
            "Crumb & Co started with one oven and a market stall. Eight years on it supplies 60 "
            "cafés and trains its own bakers."
        ),
        dateline="Tannery Row",
        authors=["owen-achterberg"],
        tags=["Small business", "Food", "Tannery Row", "Jobs"],
        read=["meanwhile-leases"],
        lead=PhotoSpec(
            "interior",
            "Loaves cooling at Crumb & Co",
            "Rows of round loaves on wooden shelves in a bakery with tall windows",
            "The morning bake at Crumb & Co, which makes about 2,500 loaves a day.",
            LENA,
            {"kind": "bakery"},
        ),
        body=[
            p(
                "At four in the morning, the only lit windows on Tannery Row belong to Crumb & "
                "Co. Inside, a dozen bakers are shaping the day's 2,500 loaves, most of which "
                "will be in cafés, shops and school kitchens across the city before 8am."
            ),
            p(
                "Owner Dani Kowalczyk started the business eight years ago with a second-hand "
                "oven in a railway arch and a stall at the Quay Street market. She moved into a "
                "former leather works on Tannery Row in 2019 and now employs 40 people, including "
                "eight apprentices."
            ),
            h("Growing without a bank"),
            p(
                "Ms Kowalczyk says she has never borrowed from a bank. The move to Tannery Row "
                "was funded by regular customers, who prepaid for a year of bread in return for a "
                "discount, and the new ovens by a local community fund."
            ),
            img(
                PhotoSpec(
                    "interior",
                    "The Crumb & Co bakery school",
                    "Trainee bakers at a long table below high windows",
                    "Apprentices at the bakery school, which takes eight trainees a year.",
                    LENA,
                    {"kind": "bakery"},
                )
            ),
            q(
                "Bread is a tiny-margin business. The only way it works is if people know who "
                "baked it and want you to still be here next year.",
                "Dani Kowalczyk, owner of Crumb & Co",
            ),
            p(
                "The bakery now faces the same pressures as the rest of the high street: energy "
                "bills that doubled in two years and flour prices that are still volatile. Ms "
                "Kowalczyk is installing solar panels on the roof and says prices will rise by no "
                "more than 10p a loaf this year."
            ),
        ],
    ),
    Story(
        key="heat-pumps",
        section="climate",
        headline="Heat pump queue grows as one Millbrook street goes all-electric",
        standfirst=(
            "Thirty-one households on Orchard Street have swapped gas boilers for heat pumps in a "
            "group scheme. Now the rest of the city wants in."
        ),
        dateline="Millbrook",
        authors=["priya-natarajan"],
        tags=["Energy", "Housing", "Millbrook"],
        read=["energy-contracts"],
        lead=PhotoSpec(
            "street",
            "Orchard Street, Millbrook",
            "A street of terraced houses under a cloudy sky",
            "Orchard Street, where 31 of 44 homes now have heat pumps.",
            JOEL,
            {"time": "overcast", "vehicle": "none"},
        ),
        body=[
            p(
                "Orchard Street in Millbrook looks like any other Victorian terrace, apart from "
                "the white boxes humming quietly in the back yards. Since the spring, 31 of its 44 "
                "homes have replaced their gas boilers with air-source heat pumps."
            ),
            p(
                "The switch was organised by residents, who formed a buying group, chose a single "
                "installer and negotiated a price about a quarter lower than each would have paid "
                "alone. Government grants covered most of the rest."
            ),
            h("Bills and teething troubles"),
            p(
                "Early results are encouraging. Households that have completed a full winter "
                "report heating bills similar to or slightly lower than before, and warmer homes, "
                "because the systems run steadily rather than in bursts. Two homes needed larger "
                "radiators after the first cold snap."
            ),
            img(
                PhotoSpec(
                    "abstract",
                    "Orchard Street energy use, before and after",
                    "An abstract chart of cool blue shapes and bars",
                    "Average gas and electricity use on Orchard Street before and after the "
                    "switch.",
                    GRAPHIC,
                    {"palette": "cool"},
                )
            ),
            q(
                "Nobody on this street is an engineer. We just got tired of waiting for someone "
                "else to do it and found out we could do it together.",
                "Tom Achebe, who organised the buying group",
            ),
            p(
                "The organisers say they have had calls from residents in 40 other streets. The "
                "council is considering a scheme to help streets form groups, and the installer "
                "says it is training eight more engineers to keep up."
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
        key="dock-vote",
        section="world",
        headline="Dock workers at northern European ports to vote on pay offer",
        standfirst=(
            "Unions will ballot members on a two-year deal after talks averted strikes that "
            "would have halted container traffic at several ports."
        ),
        dateline="Rotterdam",
        wire="NWS",
        wire_byline="By Anneke de Vries, NWS",
        tags=["Port", "Shipping", "Europe", "Jobs"],
        read=["port-record"],
        lead=PhotoSpec(
            "harbour",
            "Container terminal at dusk",
            "Container cranes over a dock at dusk, with vessels on the water",
            "A container terminal at dusk. Ports had warned of weeks of disruption if strikes "
            "went ahead.",
            NWS_PHOTO,
            {"time": "dusk", "cranes": 5, "boats": 3},
        ),
        body=[
            p(
                "Dock workers at several northern European ports will vote next week on a pay "
                "offer that would raise wages by 9 per cent over two years, unions said on "
                "Tuesday, after talks averted a series of strikes."
            ),
            p(
                "The offer also includes limits on the use of automated equipment without "
                "consultation and a guarantee that no permanent jobs will be cut as terminals "
                "bring in remote-controlled cranes."
            ),
            h("Automation in focus"),
            p(
                "Automation has become the central issue in port negotiations as operators invest "
                "in driverless vehicles and cranes controlled from offices. Unions argue that the "
                "savings should be shared with workers; employers say the technology is needed to "
                "compete."
            ),
            q(
                "This is not a deal against technology. It is a deal that says the people who "
                "run these ports get a say in how it arrives.",
                "A union negotiator",
            ),
            p(
                "Shipping lines had warned that strikes would cause weeks of delays for retailers "
                "and manufacturers. The result of the ballot is expected within ten days."
            ),
        ],
    ),
    Story(
        key="depot-choir",
        section="culture",
        headline="The choir that meets in a bus depot",
        standfirst=(
            "Every Tuesday, drivers, cleaners and mechanics at the Millbrook depot put down their "
            "tools and sing. Next month they play the Lantern."
        ),
        dateline="Millbrook",
        authors=["mireille-dufort"],
        tags=["Music", "Millbrook", "Volunteering"],
        lead=PhotoSpec(
            "stage",
            "The Depot Voices in rehearsal",
            "Singers in silhouette under soft coloured lights",
            "The Depot Voices rehearsing among the buses at Millbrook garage.",
            LENA,
            {"hue": (180, 200, 255)},
        ),
        body=[
            p(
                "At half past five on a Tuesday, the maintenance bay at Millbrook bus depot "
                "smells of diesel and sounds like a cathedral. Forty members of staff, most still "
                "in uniform, are working through a four-part arrangement of a folk song about "
                "the Arden."
            ),
            p(
                "The Depot Voices began six years ago, when a driver, Marcia Delaney, put up a "
                "notice asking if anyone fancied a sing after the early shift. Nine people came. "
                "Now there is a waiting list, and the choir has sung at weddings, funerals and a "
                "retirement party on the top deck of a bus."
            ),
            h("Harmony after a hard shift"),
            p(
                "Members say the choir has changed the depot. Drivers who once knew each other "
                "only by route number now share lifts and look after each other's children. "
                "Managers, who sing in the bass section, say sickness absence has fallen."
            ),
            img(
                PhotoSpec(
                    "stage",
                    "The Depot Voices in concert",
                    "A choir on stage under warm spotlights, seen from the audience",
                    "The choir's first public concert, at Millbrook community centre last year.",
                    LENA,
                    {"hue": (255, 210, 150)},
                )
            ),
            q(
                "You spend eight hours on your own in a cab. Then you come in here and you're part "
                "of something with forty other people. It's the best hour of my week.",
                "Marcia Delaney, driver and choir founder",
            ),
            p(
                "The choir will perform at the Lantern Theatre next month, raising money for the "
                "Millbrook food bank. Tickets are £5."
            ),
        ],
    ),
    Story(
        key="offshore-wind-base",
        section="climate",
        headline="Port bids to become an assembly base for offshore wind turbines",
        standfirst=(
            "A £210m heavy-lift quay at Saltmarsh could bring 600 jobs. Residents want guarantees "
            "about noise, light and lorries first."
        ),
        dateline="Saltmarsh",
        authors=["priya-natarajan", "owen-achterberg"],
        tags=["Energy", "Port", "Jobs", "Saltmarsh"],
        read=["port-record", "flood-wall"],
        lead=PhotoSpec(
            "fields",
            "Wind turbines on the Saltmarsh levels",
            "White wind turbines standing in flat farmland under a blue sky",
            "Onshore turbines on the Saltmarsh levels. The offshore blades would be three times "
            "longer.",
            JOEL,
            {"time": "day", "turbines": 4},
        ),
        body=[
            p(
                "The Port of Ardenmouth has submitted plans for a £210m quay where the blades, "
                "towers and nacelles of offshore wind turbines would be assembled before being "
                "shipped out to wind farms in the North Sea."
            ),
            p(
                "The development on reclaimed land at Saltmarsh would include a deep-water berth, "
                "a quay strong enough to carry 5,000-tonne loads and storage for up to 30 "
                "turbines at a time. The port says it would create about 600 jobs during the "
                "assembly seasons and 200 all year round."
            ),
            h("What residents want"),
            p(
                "At a public meeting on Monday, Saltmarsh residents said they supported the jobs "
                "but worried about working through the night, floodlights and heavy lorries on "
                "Marsh Lane. The port has promised a new access road and a cap on night work "
                "near homes."
            ),
            img(
                PhotoSpec(
                    "fields",
                    "Solar farm beside the proposed quay",
                    "Rows of solar panels in a field under a clear sky",
                    "The existing solar farm on the site, which would move 400m inland.",
                    JOEL,
                    {"time": "day", "solar": True},
                )
            ),
            q(
                "We're not against the turbines. We just want to be able to sleep, and to know "
                "some of those jobs will go to our kids.",
                "Derek Holloway, chair of the Saltmarsh residents' association",
            ),
            p(
                "The council will decide on the application early next year. The port says it "
                "would reserve a share of apprenticeships for young people from Saltmarsh and "
                "Eastfield."
            ),
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
        key="energy-contracts",
        section="business",
        headline="Small firms count the cost as fixed energy deals run out",
        standfirst=(
            "Cafés, workshops and shops locked into contracts at the peak of the price spike are "
            "finally coming up for renewal. Not all will get the relief they hoped for."
        ),
        dateline="Ardenmouth",
        authors=["owen-achterberg"],
        tags=["Energy", "Small business", "High street"],
        body=[
            p(
                "Hundreds of small businesses in Ardenmouth are coming to the end of energy "
                "contracts they signed when wholesale prices peaked, and many are discovering that "
                "the new deals on offer are lower, but not as low as they had hoped."
            ),
            p(
                "The Ardenmouth Chamber of Commerce surveyed 210 members in the past month. Of "
                "those renewing this year, two-thirds said their new unit price would fall, but "
                "most said standing charges had risen, and a fifth said they would pay more "
                "overall."
            ),
            h("Locked in at the top"),
            p(
                "Many firms fixed their prices for three years in 2022, fearing further rises. "
                "Those who waited have been paying less since. Business groups say brokers did "
                "not always explain the risks, and some contracts carried heavy exit fees."
            ),
            q(
                "I signed because I was frightened, and I've paid double my neighbour for three "
                "years. I'm not making that mistake again.",
                "Ravi Chandran, owner of a dry cleaner on Northgate Road",
            ),
            p(
                "The chamber is running free clinics where businesses can have contracts checked "
                "before renewing. It is also encouraging firms to share rooftop solar and battery "
                "storage, following a trial on the Eastfield business park."
            ),
        ],
    ),
    Story(
        key="arden-lights",
        section="culture",
        headline="Arden Lights festival draws record crowds to the riverside",
        standfirst=(
            "An estimated 85,000 people walked the illuminated trail over four nights. Next year "
            "it will cross the river."
        ),
        dateline="Ardenmouth",
        authors=["mireille-dufort", "lena-park"],
        tags=["Festivals", "River Arden", "Old Quay"],
        lead=PhotoSpec(
            "lanterns",
            "Arden Lights on the riverside",
            "Strings of coloured lights over a dark river with city lights behind and crowds",
            "Crowds on the Old Quay on the final night of Arden Lights.",
            LENA,
        ),
        body=[
            p(
                "Arden Lights, the city's winter festival of light, drew an estimated 85,000 "
                "visitors over four nights, organisers said on Monday, up from 60,000 last year."
            ),
            p(
                "The two-kilometre trail ran from the Old Quay to the Museum of Making, with 24 "
                "installations by local and visiting artists. The most photographed was a swarm of "
                "700 paper lanterns hung beneath the swing bridge, made in workshops by pupils "
                "from 30 schools."
            ),
            img(
                PhotoSpec(
                    "lanterns",
                    "Lanterns under the swing bridge",
                    "Hundreds of coloured lights strung over water at night",
                    "Paper lanterns made by schoolchildren hang over the inner harbour.",
                    LENA,
                )
            ),
            h("Bigger, and across the water"),
            p(
                "Organisers said the trail was too crowded at times on the Saturday, and that "
                "next year it would extend across the river to Saltmarsh, with a second entrance "
                "and timed tickets for the busiest evening."
            ),
            q(
                "We built it for the people who live here. The best thing was seeing whole streets "
                "come down together to find the lantern their kids made.",
                "Jude Achterberg, artistic director of Arden Lights",
            ),
            p(
                "Traders on the Old Quay reported their busiest week of the winter. The festival "
                "is free and is funded by the council, the arts council and local sponsors."
            ),
        ],
    ),
    Story(
        key="weather-satellite",
        section="world",
        headline="New weather satellite sends back its first images",
        standfirst=(
            "Forecasters say the instruments on board will improve warnings of severe storms by "
            "several hours."
        ),
        dateline="Darmstadt",
        wire="Meridian",
        wire_byline="By Paul Andersen, Meridian News",
        tags=["Science", "Weather", "Climate science"],
        lead=PhotoSpec(
            "mountains",
            "Weather front over the mountains",
            "Mountain ridges under a heavy grey sky",
            "A storm front over the mountains. The new satellite scans Europe every 2.5 minutes.",
            MERIDIAN_PHOTO,
            {"time": "overcast", "snow": False},
        ),
        body=[
            p(
                "A new European weather satellite has sent back its first images, mission "
                "controllers said on Friday, a month after its launch."
            ),
            p(
                "The satellite, in a fixed position above the equator, carries an imager that can "
                "scan Europe every two and a half minutes and an instrument that detects "
                "lightning, which often comes before the most violent storms."
            ),
            h("Earlier warnings"),
            p(
                "Forecasters say the faster scans will help them spot thunderstorms as they form, "
                "giving several more hours' notice of flash floods, hail and damaging winds."
            ),
            q(
                "Seeing a storm being born, rather than after it has grown, changes what a "
                "warning can do.",
                "A meteorologist working on the mission",
            ),
            p(
                "The satellite will undergo months of testing before its data is used in daily "
                "forecasts, expected late next year."
            ),
        ],
    ),
    Story(
        key="last-diesel-buses",
        section="climate",
        headline="The last diesel buses leave Ardenmouth's Millbrook depot",
        standfirst=(
            "Every city bus is now electric, two years ahead of schedule. Drivers like the quiet; "
            "engineers are still learning the winter."
        ),
        dateline="Millbrook",
        authors=["hannah-lindqvist", "priya-natarajan"],
        tags=["Transport", "Energy", "Millbrook"],
        read=["tram-extension", "depot-choir"],
        lead=PhotoSpec(
            "street",
            "Electric bus on Millbrook Road",
            "A red bus coming up a city street lined with tall buildings",
            "One of the 146 electric buses now running on every city route.",
            JOEL,
            {"time": "day", "vehicle": "bus", "paint": (200, 60, 60)},
        ),
        body=[
            p(
                "The last diesel buses in Ardenmouth's municipal fleet made their final journeys "
                "on Sunday night, leaving the city with one of the country's first fully electric "
                "bus services, two years ahead of the council's target."
            ),
            p(
                "The 146 electric buses are charged overnight at the Millbrook and Northgate "
                "depots, using power partly supplied by solar panels on the depot roofs. The "
                "operator says they cost about a third less per kilometre to run than diesels."
            ),
            h("Quieter streets"),
            p(
                "Drivers say the buses are easier to drive and far quieter, and residents on busy "
                "routes have noticed the difference. Air-quality monitors on Northgate Road "
                "recorded nitrogen dioxide levels 18 per cent lower this year than last."
            ),
            img(
                PhotoSpec(
                    "fields",
                    "Solar panels on the Millbrook depot roof",
                    "Rows of solar panels in bright sunshine",
                    "Part of the solar array that helps charge the fleet overnight.",
                    JOEL,
                    {"time": "day", "solar": True},
                )
            ),
            q(
                "I drove diesels for 22 years. Now I can hear passengers say thank you when they "
                "get off.",
                "Kwame Asante, bus driver",
            ),
            p(
                "The first winter brought teething troubles: range falls in very cold weather, "
                "and several buses had to return to the depot early during a cold snap in "
                "January. The operator has since added rapid chargers at three termini."
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
    Story(
        key="northgate-murals",
        section="culture",
        headline="Northgate murals turn neighbours' memories into a walking map",
        standfirst=(
            "Twelve painted walls, each based on residents' stories, now link the library, the "
            "market and the old cinema."
        ),
        dateline="Northgate",
        authors=["mireille-dufort"],
        tags=["Art", "Northgate", "Volunteering"],
        read=["library-sundays"],
        lead=PhotoSpec(
            "abstract",
            "Detail of the Stanmore Terrace mural",
            "A wall painted with large warm circles and rectangles in orange, red and cream",
            "Detail of the Stanmore Terrace mural, based on memories of the street's first "
            "carnival.",
            LENA,
            {"palette": "warm"},
        ),
        body=[
            p(
                "A year ago, artists from the Northgate Arts Collective knocked on doors and "
                "asked residents for one memory of the neighbourhood. They collected more than "
                "400, and twelve of them are now painted on walls across Northgate."
            ),
            p(
                "The murals, each several storeys high, range from the carnival that first "
                "wound down Stanmore Terrace in 1974 to the day the old Palace cinema showed its "
                "last film. A free map links them into a two-kilometre walk."
            ),
            img(
                PhotoSpec(
                    "abstract",
                    "The Palace cinema mural",
                    "A wall painted with blue and teal shapes and rows of bars",
                    "The Palace cinema mural, painted from a photograph of the queue on closing "
                    "night.",
                    LENA,
                    {"palette": "cool"},
                )
            ),
            h("Memories on the walls"),
            p(
                "Each mural has a plaque with a short recording, reached by phone, of the "
                "resident whose story inspired it. Several of the storytellers helped with the "
                "painting."
            ),
            q(
                "I told them about my mother dancing in the street at the first carnival. Now "
                "she's fifteen feet tall outside the launderette. She'd have loved that.",
                "Hyacinth Reid, Northgate resident",
            ),
            p(
                "The collective hopes to add four more murals next year and is looking for wall "
                "owners willing to take part."
            ),
        ],
    ),
    Story(
        key="shipping-rates",
        section="business",
        headline="Container shipping rates ease as new vessels join the global fleet",
        standfirst=(
            "The cost of moving a container between Asia and Europe has fallen for a sixth "
            "week, as a wave of new ships outpaces demand."
        ),
        dateline="Singapore",
        wire="Meridian",
        wire_byline="By Mei Ling Tan, Meridian News",
        tags=["Shipping", "Port", "Trade"],
        read=["port-record"],
        lead=PhotoSpec(
            "harbour",
            "Container port at night",
            "Cranes and ships at a container port at night, with city lights behind",
            "A container port at night. Hundreds of new vessels have joined the fleet this year.",
            MERIDIAN_PHOTO,
            {"time": "night", "cranes": 3, "boats": 4},
        ),
        body=[
            p(
                "Spot rates for shipping a container from Asia to northern Europe fell for a "
                "sixth consecutive week, industry indices showed on Thursday, as a record number "
                "of new vessels entered service."
            ),
            p(
                "Shipping lines ordered hundreds of large container ships during the boom of "
                "recent years, and many are now being delivered. Analysts estimate the global "
                "fleet's capacity will grow by about 8 per cent this year, against demand growth "
                "of about 3 per cent."
            ),
            h("Good news for importers"),
            p(
                "Lower freight costs should ease price pressures for retailers and manufacturers "
                "that import goods. But analysts warned that lines may cut sailings or send older "
                "ships for scrap to push rates back up."
            ),
            q(
                "The fleet has grown faster than trade. The question is how long lines will "
                "accept lower rates before they take capacity out.",
                "A shipping analyst",
            ),
            p(
                "Ports are preparing for fewer but larger calls, as lines consolidate cargo onto "
                "their biggest ships."
            ),
        ],
    ),
]
