"""Newsroom content: fronts, sections, articles, authors, wire agencies and photos.

Pages (HomePage > SectionPage > ArticlePage) hold the editorial tree; authors and wire agencies
are snippets shared across articles; photos are Wagtail images carrying a credit and caption.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from masthead.newsroom.blocks import ArticleBodyBlock

# --- Photos ---------------------------------------------------------------------------------


class Photo(AbstractImage):
    """An image with the photographer or agency credit and a default caption."""

    credit = models.CharField(
        max_length=200, blank=True, help_text="Photographer and/or agency, e.g. 'Lena Park/AFP'."
    )
    caption = models.CharField(max_length=400, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit", "caption")

    @property
    def alt_text(self) -> str:
        # Wagtail's `description` is the alt text; fall back to the caption, then the title.
        return self.description or self.caption or self.title


class PhotoRendition(AbstractRendition):
    image = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# --- Snippets -------------------------------------------------------------------------------


def format_copyright(pattern: str, fallback: str, **values: object) -> str:
    """Fill a copyright pattern; a pattern saved around validation must not break a page."""
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return fallback


def check_copyright_pattern(pattern: str, **values: object) -> None:
    try:
        pattern.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        names = " and ".join("{%s}" % name for name in values)  # noqa: UP031
        raise ValidationError(
            {"copyright_pattern": f"Use only the placeholders {names}."}
        ) from error


@register_snippet
class WireAgency(models.Model):
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(max_length=20, help_text="As shown in credits, e.g. 'AFP'.")
    copyright_pattern = models.CharField(
        max_length=200,
        default="© {agency} {year}",
        help_text="Copyright line; {year} is the publication year and {agency} the short name.",
    )
    website = models.URLField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("copyright_pattern"),
        FieldPanel("website"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "wire agencies"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_copyright_pattern(self.copyright_pattern, year=2000, agency=self.short_name)

    def copyright_line(self, year: int) -> str:
        return format_copyright(
            self.copyright_pattern, f"© {self.short_name} {year}", year=year, agency=self.short_name
        )


@register_snippet
class Author(index.Indexed, models.Model):
    """A staff writer, photographer or editor who can be credited in a byline."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    job_title = models.CharField(
        max_length=120, blank=True, help_text="e.g. 'Health correspondent'."
    )
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff account this profile belongs to, if any.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:140]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("newsroom:author", kwargs={"slug": self.slug})


@register_setting(icon="site")
class NewsroomSettings(BaseSiteSetting):
    """Per-site settings editors can change in the CMS."""

    publication_name = models.CharField(max_length=100, default="The Masthead Courier")
    tagline = models.CharField(
        max_length=200, blank=True, default="Independent news, paid for by readers"
    )
    copyright_pattern = models.CharField(
        max_length=200,
        default="© {publication} {year}",
        help_text="Copyright line for staff stories; {year} and {publication} are filled in.",
    )

    class Meta:
        verbose_name = "newsroom settings"

    def clean(self) -> None:
        check_copyright_pattern(
            self.copyright_pattern, year=2000, publication=self.publication_name
        )


# --- Pages ----------------------------------------------------------------------------------


class ArticleQuerySet(PageQuerySet):
    def listed(self) -> ArticleQuerySet:
        """Live, public articles, newest first, with what a teaser needs in one query."""
        return (
            self.live()
            .public()
            .select_related("lead_photo", "wire_agency")
            .order_by("-first_published_at", "-pk")
        )


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


# How many stories editors can pick for a front, after its lead.
FRONT_SLOTS = 6


def front_panels() -> list:
    return [
        MultiFieldPanel(
            [
                FieldPanel(
                    "lead_story",
                    help_text="The story at the top. Leave empty and the newest story leads.",
                ),
                InlinePanel(
                    "slots",
                    label="Story",
                    max_num=FRONT_SLOTS,
                    help_text="Shown under the lead, in this order. Unpublished stories drop "
                    "out by themselves.",
                ),
            ],
            heading="Front page picks",
        )
    ]


class HomePage(Page):
    """The front page: the editors' picks, then the newest stories from every section."""

    intro = models.CharField(max_length=250, blank=True)
    lead_story = models.ForeignKey(
        "newsroom.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), *front_panels()]
    subpage_types = ["newsroom.SectionPage", "moderation.CommunityGuidelinesPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        from masthead.newsroom.fronts import compose_front

        context = super().get_context(request, *args, **kwargs)
        context["front"] = compose_front(self, page_number=request.GET.get("page"))
        context["page_obj"] = context["front"].latest
        return context


class SectionPage(Page):
    """A section front (News, Climate, Culture…): its editors' picks, then its newest stories."""

    description = models.CharField(max_length=250, blank=True)
    lead_story = models.ForeignKey(
        "newsroom.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A story from this section.",
    )

    content_panels = [*Page.content_panels, FieldPanel("description"), *front_panels()]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage"]

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        from masthead.newsroom.fronts import compose_front

        context = super().get_context(request, *args, **kwargs)
        context["front"] = compose_front(self, page_number=request.GET.get("page"))
        context["page_obj"] = context["front"].latest
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CommentMode(models.TextChoices):
    OPEN = "open", "Open"
    PREMODERATED = "premoderated", "Open, every comment checked before it appears"
    CLOSED = "closed", "Closed"
    LEGAL = "legal", "Closed for legal reasons"


class ArticlePage(Page):
    """A news story. The page title is the headline."""

    standfirst = models.TextField(
        max_length=400, help_text="One or two sentences under the headline that sum up the story."
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text="Where the story was reported from, e.g. 'Lisbon'."
    )
    wire_agency = models.ForeignKey(
        WireAgency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Set for wire copy: the credit and copyright line come from the agency.",
    )
    wire_byline = models.CharField(
        max_length=200, blank=True, help_text="The agency's own byline, e.g. 'By Tom Weir, AFP'."
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when the story changes materially; readers see 'Updated' with this time.",
    )
    lead_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_photo_caption = models.CharField(
        max_length=400, blank=True, help_text="Leave blank to use the photo's own caption."
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    comment_mode = models.CharField(
        max_length=20, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    comments_closed_message = models.TextField(
        blank=True,
        help_text="Shown instead of the comment form when comments are closed for legal reasons.",
    )
    # Published comments only, kept in step by the community app in the same transaction.
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleManager()

    content_panels = [
        FieldPanel("title", heading="Headline"),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                InlinePanel("bylines", label="Author", heading="Staff byline"),
                FieldRowPanel([FieldPanel("wire_agency"), FieldPanel("wire_byline")]),
                FieldRowPanel([FieldPanel("dateline"), FieldPanel("updated_at")]),
            ],
            heading="Credit",
        ),
        MultiFieldPanel(
            [FieldPanel("lead_photo"), FieldPanel("lead_photo_caption")], heading="Lead photo"
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("related_links", label="Read: link", heading="Related stories"),
        InlinePanel("corrections", label="Correction or update", heading="Corrections and updates"),
        MultiFieldPanel(
            [FieldPanel("comment_mode"), FieldPanel("comments_closed_message")],
            heading="Reader comments",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        indexes = [models.Index(fields=["comment_count"])]

    def clean(self) -> None:
        super().clean()
        if self.comment_mode == CommentMode.LEGAL and not self.comments_closed_message.strip():
            raise ValidationError(
                {"comments_closed_message": "Tell readers why comments are closed on this story."}
            )

    def with_content_json(self, content):  # type: ignore[no-untyped-def]
        """A revision never carries the comment count: it belongs to the readers, not to the
        editor's draft, so publishing an older draft must not roll it back."""
        page = super().with_content_json(content)
        current = type(self).objects.filter(pk=self.pk).values_list("comment_count", flat=True)
        page.comment_count = current.first() or 0
        return page

    @property
    def headline(self) -> str:
        return self.title

    @property
    def published_at(self):  # type: ignore[no-untyped-def]
        return self.first_published_at or self.go_live_at or timezone.now()

    @cached_property
    def authors(self) -> list[Author]:
        return [byline.author for byline in self.bylines.select_related("author").all()]

    @cached_property
    def section(self) -> SectionPage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def lead_caption(self) -> str:
        if self.lead_photo_caption:
            return self.lead_photo_caption
        return self.lead_photo.caption if self.lead_photo else ""

    def copyright_line(self, site_settings: NewsroomSettings | None = None) -> str:
        year = timezone.localtime(self.published_at).year
        if self.wire_agency_id:
            return self.wire_agency.copyright_line(year)
        publication = (
            site_settings.publication_name if site_settings else settings.WAGTAIL_SITE_NAME
        )
        pattern = site_settings.copyright_pattern if site_settings else "© {publication} {year}"
        return format_copyright(
            pattern, f"© {publication} {year}", year=year, publication=publication
        )

    @property
    def comments_open(self) -> bool:
        return self.comment_mode in {CommentMode.OPEN, CommentMode.PREMODERATED}

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        from masthead.community.views import comments_context
        from masthead.newsroom.services import related_links

        context = super().get_context(request, *args, **kwargs)
        context["related"] = related_links(self, request)
        context["site_settings"] = NewsroomSettings.for_request(request)
        context["copyright_line"] = self.copyright_line(context["site_settings"])
        context.update(comments_context(request, self))
        return context


class ArticleByline(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="one_byline_per_author")
        ]


class RelatedLink(Orderable):
    """An editor-picked "Read:" link to another story."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("target", heading="Story")]


# --- Fronts ---------------------------------------------------------------------------------


class FrontSlot(Orderable):
    """One story an editor placed on a front, under its lead."""

    article = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article", heading="Story")]

    class Meta(Orderable.Meta):
        abstract = True


class HomePageSlot(FrontSlot):
    front = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="slots")


class SectionPageSlot(FrontSlot):
    front = ParentalKey(SectionPage, on_delete=models.CASCADE, related_name="slots")


# --- Counters -------------------------------------------------------------------------------


class HourlyCount(models.Model):
    """How often something happened in one hour: story reads, ad impressions, ad clicks.

    Written in batches by `masthead.core.counters` (one upsert per flush, never one write per
    event) and summed over a window by whoever reads them ("most read", the ads listing).
    """

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    hour = models.DateTimeField(help_text="The start of the hour, UTC.")
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "hour"], name="one_count_per_hour")
        ]
        indexes = [models.Index(fields=["kind", "hour"], name="hourlycount_kind_hour")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.hour:%Y-%m-%d %H}h: {self.count}"
