"""The demo's Climate stories. All invented for this project; any likeness is accidental."""

from __future__ import annotations

from masthead.newsroom.demo.content import (
    GRAPHIC,
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
]
