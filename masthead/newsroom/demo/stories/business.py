"""The demo's Business stories. All invented for this project; any likeness is accidental."""

from __future__ import annotations

from masthead.newsroom.demo.content import (
    GRAPHIC,
    JOEL,
    LENA,
    MERIDIAN_PHOTO,
    PhotoSpec,
    Story,
    h,
    img,
    p,
    q,
)

STORIES = [
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
