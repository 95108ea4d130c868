"""Newsroom content: fronts, sections, articles, authors, wire agencies and photos.

Pages (HomePage > SectionPage > ArticlePage) hold the editorial tree; authors and wire agencies
are snippets shared across articles; photos are Wagtail images carrying a credit and caption.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.base import ModelState
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

from masthead.caching import keys as surrogate
from masthead.caching.pages import CachedPageMixin, front_keys
from masthead.newsroom.blocks import ArticleBodyBlock

logger = logging.getLogger(__name__)

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

    @classmethod
    def for_request(cls, request):  # type: ignore[no-untyped-def]
        """Wagtail's, read from the shared cache per site version (every page shows these)."""
        from masthead.newsroom.services import site_setting

        attr_name = cls.get_cache_attr_name()
        if request is None or hasattr(request, attr_name):
            return super().for_request(request)
        found = site_setting(cls, request)
        if found is None:
            return super().for_request(request)
        found._request = request
        setattr(request, attr_name, found)
        return found

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
            # `path` (unique, on Wagtail's page table) breaks ties: "-pk" would sort on this
            # table's page_ptr_id, across two tables, which no index can serve.
            .order_by("-first_published_at", "-path")
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


# --- Serving: routing and view restrictions in fewer queries --------------------------------


def route_to_child(parent: Page, model: type[Page], request, path_components: list[str]):  # type: ignore[no-untyped-def]
    """Wagtail's `Page.route` one level down when the child is a `model` page: one query
    loads it, specific (Wagtail's takes two: the page, then its specific row). None when there
    is no such child: the caller then routes the Wagtail way (another kind of page, or a 404)."""
    if not path_components:
        return None
    try:
        child = model.objects.child_of(parent).get(slug=path_components[0])
    except model.DoesNotExist:
        return None
    return _link(parent, child).route(request, path_components[1:])


STORY_ROUTE_VERSION = "v2"
STORY_ROUTE_SECONDS = 3600


def _story_route_key(home: Page, path_components: list[str]) -> str:
    where = f"{home.pk}:{home.path}:{'/'.join(path_components)}"
    digest = hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    return f"newsroom:story-route:{STORY_ROUTE_VERSION}:{digest}"


def _story_keys(section: Page, story: Page) -> tuple[str, ...]:
    """The surrogate keys purged whenever the section or the story row changes: a publish,
    unpublish, move or delete of either, a section renamed, a comment (the story's count)."""
    return (
        surrogate.page(section.pk),
        surrogate.NAV,
        surrogate.article(story.pk),
        surrogate.comments(story.pk),
    )


def fields_only(page: Page) -> Page:
    """A copy of `page` with its field values and nothing else (no parent, no related objects
    cached on it), to keep in the shared cache."""
    clone = page.__class__.__new__(page.__class__)
    clone.__dict__.update(
        {
            field.attname: page.__dict__[field.attname]
            for field in page._meta.concrete_fields
            if field.attname in page.__dict__
        }
    )
    clone._state = ModelState()
    clone._state.db = page._state.db
    clone._state.adding = False
    return clone


# A token made here because it was missing (never purged, or evicted) is dated this far back,
# so that a page whose rendering started a moment ago still counts it as older than itself.
MISSING_TOKEN_AGE_NS = 60 * 10**9


def current_tokens(store, names: tuple[str, ...], started: int) -> tuple | None:  # type: ignore[no-untyped-def]
    """The page cache's current tokens of `names` (a missing one is made, dated back), or None
    when one moved after `started`: purged while the pages were being read."""
    from masthead.caching.store import tokens_now

    return tokens_now(names, started=started, missing_age_ns=MISSING_TOKEN_AGE_NS, store=store)


def _link(parent: Page, child: Page) -> Page:
    child._cached_parent_obj = parent
    # The pages above it, loaded on the way: its view restrictions need no more queries.
    child._route_ancestors = (*getattr(parent, "_route_ancestors", ()), parent)
    return child


def route_story(home: Page, request, path_components: list[str]):  # type: ignore[no-untyped-def]
    """Route /<section>/<story>/ (the URL of every article) from the home page.

    The section and the story are kept in the shared cache with the page cache's tokens of the
    keys that every change to them purges (`_story_keys`); a token moved since means they are
    read again. A miss reads them in one query each. None when the path is not a section's
    story: the caller routes it the Wagtail way."""
    from masthead.caching.store import cache as page_store
    from masthead.caching.store import token_key

    key = _story_route_key(home, path_components)
    hit = None
    try:
        store = page_store()
        entry = store.get(key)
        if entry is not None:
            section, story, agency, names, tokens = entry
            found = store.get_many([token_key(name) for name in names])
            if tuple(found.get(token_key(name)) for name in names) == tokens:
                if agency is not None:  # its credit line, without a query (edits purge it)
                    story._state.fields_cache["wire_agency"] = agency
                hit = (section, story)
    except Exception:
        logger.warning("story route cache unavailable", exc_info=True)
        store = None
    if hit is not None:
        return _link(_link(home, hit[0]), hit[1]).route(request, [])
    started = time.time_ns()
    try:
        section = SectionPage.objects.child_of(home).get(slug=path_components[0])
        story = (
            ArticlePage.objects.child_of(section)
            .select_related("wire_agency")
            .get(slug=path_components[1])
        )
    except (SectionPage.DoesNotExist, ArticlePage.DoesNotExist):
        return None
    if store is not None and story.live:
        names = _story_keys(section, story)
        try:
            tokens = current_tokens(store, names, started)
            if tokens is not None:  # None: purged while being read, so not stored
                agency = fields_only(story.wire_agency) if story.wire_agency else None
                entry = (fields_only(section), fields_only(story), agency, names, tokens)
                store.set(key, entry, STORY_ROUTE_SECONDS)
        except Exception:
            logger.warning("story route cache unavailable", exc_info=True)
    return _link(_link(home, section), story).route(request, [])


def routed_view_restrictions(page: Page):  # type: ignore[no-untyped-def]
    """The view restrictions of a page reached by `route_to_child`, as Wagtail's
    `get_view_restrictions` finds them (the page's and every ancestor's) in one query instead
    of two, and once per request (Wagtail's serve hook and the page cache both ask). None for
    any other page, or when an alias is involved: Wagtail's own method handles those."""
    from wagtail.models import PageViewRestriction

    found = page.__dict__.get("_view_restrictions")
    if found is not None:
        return found
    ancestors = getattr(page, "_route_ancestors", None)
    if not ancestors or ancestors[0].depth != 2 or len(ancestors) != page.depth - 2:
        return None
    loaded = (*ancestors, page)
    if any(item.alias_of_id for item in loaded):
        return None
    root_path = page.path[: page.steplen]
    found = PageViewRestriction.objects.filter(
        models.Q(page_id__in=[item.pk for item in loaded]) | models.Q(page__path=root_path)
    )
    page.__dict__["_view_restrictions"] = found
    return found


class HomePage(CachedPageMixin, Page):
    """The front page: the editors' picks, then the newest stories from every section."""

    cache_kind = "front"

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

    def cache_keys(self, context):  # type: ignore[no-untyped-def]
        return {surrogate.FRONT_HOME, *front_keys(context)}

    def route(self, request, path_components):  # type: ignore[no-untyped-def]
        routed = None
        if len(path_components) == 2:
            routed = route_story(self, request, path_components)
        if routed is None:
            routed = route_to_child(self, SectionPage, request, path_components)
        return routed if routed is not None else super().route(request, path_components)


class SectionPage(CachedPageMixin, Page):
    """A section front (News, Climate, Culture…): its editors' picks, then its newest stories."""

    cache_kind = "front"

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

    def cache_keys(self, context):  # type: ignore[no-untyped-def]
        return {surrogate.section(self.pk), *front_keys(context)}

    def route(self, request, path_components):  # type: ignore[no-untyped-def]
        routed = route_to_child(self, ArticlePage, request, path_components)
        return routed if routed is not None else super().route(request, path_components)

    def get_view_restrictions(self):  # type: ignore[no-untyped-def]
        found = routed_view_restrictions(self)
        return found if found is not None else super().get_view_restrictions()


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CommentMode(models.TextChoices):
    OPEN = "open", "Open"
    PREMODERATED = "premoderated", "Open, every comment checked before it appears"
    CLOSED = "closed", "Closed"
    LEGAL = "legal", "Closed for legal reasons"


class ArticlePage(CachedPageMixin, Page):
    """A news story. The page title is the headline."""

    cache_kind = "article"

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
        from masthead.caching.fragments import comments_context
        from masthead.newsroom.services import article_parts, related_articles, related_links

        context = super().get_context(request, *args, **kwargs)
        if settings.MASTHEAD["PAGE_CACHE"]["ENABLED"]:
            # The page cache keeps the page, purged when a linked story changes: no second
            # cache of the links that could outlive that purge.
            stories = related_articles(self)
            context["related"] = [
                {"title": story.title, "url": story.get_url(request=request)} for story in stories
            ]
            context["related_keys"] = surrogate.articles(stories)
        else:
            context["related"] = related_links(self, request)
        # Byline, photos, body, corrections and tags: rendered once per published version.
        context["parts"] = article_parts(self, request)
        context["site_settings"] = NewsroomSettings.for_request(request)
        context["copyright_line"] = self.copyright_line(context["site_settings"])
        # The comments section, cached apart and put into the stored page on every hit.
        context.update(comments_context(request, self))
        return context

    def get_view_restrictions(self):  # type: ignore[no-untyped-def]
        found = routed_view_restrictions(self)
        return found if found is not None else super().get_view_restrictions()

    def cache_keys(self, context):  # type: ignore[no-untyped-def]
        return {
            surrogate.article(self.pk),
            surrogate.comments(self.pk),
            *context.get("related_keys", ()),
        }


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
