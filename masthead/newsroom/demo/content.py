"""The demo newsroom: The Masthead Courier, in the fictional river city of Ardenmouth.

Everything here is invented for the demo: the city, its people, its institutions and the three
wire agencies. The stories live in `stories.py`; this module holds the cast and the helpers
that stories are written with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

PUBLICATION = "The Masthead Courier"
HOME_INTRO = "Independent news for Ardenmouth and the Arden valley, paid for by its readers."

# Photo credits. Staff photographers credit the paper; agency photos credit the agency.
LENA = f"Lena Park/{PUBLICATION}"
JOEL = f"Joel Baptiste/{PUBLICATION}"
GRAPHIC = f"Dev Malhotra/{PUBLICATION}"  # graphics desk
CPA_PHOTO = "Ines Marlow/CPA"
NWS_PHOTO = "Kofi Asante/NWS"
MERIDIAN_PHOTO = "Ruth Calloway/Meridian News"


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    title: str
    description: str


SECTIONS = [
    SectionSpec(
        "news", "News", "City hall, courts, schools, health and the streets of Ardenmouth."
    ),
    SectionSpec(
        "climate", "Climate", "How a river city lives with heat, floods and a new energy economy."
    ),
    SectionSpec("business", "Business", "Work, money and the firms that keep Ardenmouth going."),
    SectionSpec(
        "culture", "Culture", "Stage, page and street: what to see in the city, and why it matters."
    ),
    SectionSpec("world", "World", "The day's international stories from our wire partners."),
]


@dataclass(frozen=True)
class PhotoSpec:
    """A picture to draw: a scene from `photos.SCENES` with its options, and its metadata."""

    scene: str
    title: str
    alt: str
    caption: str
    credit: str
    options: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthorSpec:
    slug: str
    name: str
    job_title: str
    bio: str
    portrait: PhotoSpec


def _portrait(name: str, job: str, background: tuple[int, int, int]) -> PhotoSpec:
    return PhotoSpec(
        "portrait",
        f"{name}, byline picture",
        f"Portrait of {name}",
        f"{name}, {job[0].lower()}{job[1:]}",
        LENA,
        {"background": background},
    )


AUTHORS = [
    AuthorSpec(
        "tomas-reyes",
        "Tomás Reyes",
        "City hall reporter",
        "Tomás has covered Ardenmouth City Council since 2017: budgets, planning rows and the "
        "occasional all-night debate. He grew up in Eastfield and still takes the bus to work.",
        _portrait("Tomás Reyes", "City hall reporter", (70, 90, 130)),
    ),
    AuthorSpec(
        "priya-natarajan",
        "Priya Natarajan",
        "Climate correspondent",
        "Priya reports on heat, flooding, energy and the natural world of the Arden valley. "
        "Before joining the Courier she spent six years as a hydrologist.",
        _portrait("Priya Natarajan", "Climate correspondent", (60, 110, 90)),
    ),
    AuthorSpec(
        "owen-achterberg",
        "Owen Achterberg",
        "Business editor",
        "Owen edits the business pages and writes about the port, the high street and the "
        "people who run small firms. He has worked on newspapers in three countries.",
        _portrait("Owen Achterberg", "Business editor", (120, 90, 70)),
    ),
    AuthorSpec(
        "mireille-dufort",
        "Mireille Dufort",
        "Culture writer",
        "Mireille reviews theatre, books and exhibitions and writes about the city's artists, "
        "musicians and makers. She is happiest in the back row of a small venue.",
        _portrait("Mireille Dufort", "Culture writer", (110, 70, 110)),
    ),
    AuthorSpec(
        "samuel-okafor",
        "Samuel Okafor",
        "Health and social affairs reporter",
        "Samuel covers hospitals, schools, housing and the services people rely on. He "
        "previously worked as a community nurse in Saltmarsh.",
        _portrait("Samuel Okafor", "Health and social affairs reporter", (90, 100, 120)),
    ),
    AuthorSpec(
        "hannah-lindqvist",
        "Hannah Lindqvist",
        "Transport reporter",
        "Hannah writes about trams, buses, bridges, bikes and the daily commute. She has "
        "cycled every street in Ardenmouth, some of them more than once by mistake.",
        _portrait("Hannah Lindqvist", "Transport reporter", (130, 110, 70)),
    ),
    AuthorSpec(
        "lena-park",
        "Lena Park",
        "Chief photographer",
        "Lena has photographed Ardenmouth for the Courier for 12 years, from council meetings "
        "to flood nights. She also runs the paper's free photography workshops for teenagers.",
        _portrait("Lena Park", "Chief photographer", (80, 80, 90)),
    ),
]


@dataclass(frozen=True)
class AgencySpec:
    name: str
    short_name: str
    copyright_pattern: str
    website: str


AGENCIES = [
    AgencySpec("Continental Press Agency", "CPA", "© CPA {year}", "https://cpa.example.org"),
    AgencySpec(
        "Northern Wire Service",
        "NWS",
        "© {agency} {year}. All rights reserved.",
        "https://nws.example.org",
    ),
    AgencySpec("Meridian News", "Meridian", "Copyright {year} Meridian News", ""),
]


@dataclass(frozen=True)
class AdSpec:
    """A house ad for one slot (leaderboard, in-article, sidebar), with a drawn picture."""

    slot: str
    name: str
    text: str
    link_url: str
    picture: PhotoSpec | None = None


HOUSE_ADS = [
    AdSpec(
        "leaderboard",
        "Morning Briefing, leaderboard",
        "The Courier Morning Briefing: Ardenmouth's news in your inbox at 7am, free.",
        "https://example.org/newsletter",
        PhotoSpec(
            "skyline",
            "House ad: morning over Ardenmouth",
            "The Ardenmouth skyline at dawn",
            "House ad picture for the Morning Briefing newsletter.",
            LENA,
            {"time": "dawn"},
        ),
    ),
    AdSpec(
        "leaderboard",
        "Reader events, leaderboard",
        "Courier Live: meet the newsroom at the Old Customs House, first Thursday of the month.",
        "https://example.org/events",
        PhotoSpec(
            "lanterns",
            "House ad: Courier Live evening",
            "Lanterns strung over a courtyard",
            "House ad picture for Courier Live reader evenings.",
            JOEL,
        ),
    ),
    AdSpec(
        "in-article",
        "Photo workshops, in article",
        "Free photography workshops for teenagers, with Lena Park. Places for spring are open.",
        "https://example.org/workshops",
        PhotoSpec(
            "river",
            "House ad: photo workshop by the river",
            "The river Arden under a footbridge",
            "House ad picture for the Courier photography workshops.",
            LENA,
        ),
    ),
    AdSpec(
        "sidebar",
        "Reader support, sidebar",
        "No paywall, no owner to please: the Courier is paid for by its readers. Join them.",
        "https://example.org/contribute",
        PhotoSpec(
            "market",
            "House ad: the Saturday market",
            "Stalls at the Saturday market",
            "House ad picture for the reader support appeal.",
            JOEL,
        ),
    ),
    AdSpec(
        "sidebar",
        "Crossword, sidebar",
        "The Courier crossword: a new grid every weekday, and the answers the next morning.",
        "https://example.org/crossword",
    ),
]


# --- Story bodies ---------------------------------------------------------------------------

Block = tuple[str, object]


def p(text: str) -> Block:
    """A paragraph. Write plain text; it is HTML-escaped and wrapped in <p>."""
    return ("paragraph", f"<p>{escape(text, quote=False)}</p>")


def h(text: str) -> Block:
    return ("subheading", text)


def q(text: str, attribution: str = "") -> Block:
    return ("quote", {"text": text, "attribution": attribution})


def img(photo: PhotoSpec) -> Block:
    return ("photo", photo)


@dataclass(frozen=True)
class Story:
    key: str
    section: str
    headline: str
    standfirst: str
    dateline: str
    body: list[Block]
    tags: list[str]
    authors: list[str] = field(default_factory=list)
    wire: str = ""  # an agency's short name
    wire_byline: str = ""
    lead: PhotoSpec | None = None
    lead_caption: str = ""  # overrides the photo's own caption on this story
    read: list[str] = field(default_factory=list)  # keys of editor-picked "Read:" stories
    comment_mode: str = "open"
    comments_closed_message: str = ""
    updated_after_hours: float | None = None
