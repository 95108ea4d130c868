"""The demo's World stories. All invented for this project; any likeness is accidental."""

from __future__ import annotations

from masthead.newsroom.demo.content import (
    CPA_PHOTO,
    MERIDIAN_PHOTO,
    NWS_PHOTO,
    PhotoSpec,
    Story,
    h,
    p,
    q,
)

STORIES = [
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
]
