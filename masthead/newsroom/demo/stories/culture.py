"""The demo's Culture stories. All invented for this project; any likeness is accidental."""

from __future__ import annotations

from masthead.newsroom.demo.content import (
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
]
