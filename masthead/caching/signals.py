"""What each change purges: the receivers connected in CachingConfig.ready().

- a story published for the first time (or again after being unpublished): its own key, the
  home front, its section front, its tags' and authors' pages, the feeds;
- a live story published again (an edit, a correction): its own key (every page listing or
  linking to it carries it), the section, tags and authors it joined or left, the feeds, and
  the corrections page when its corrections changed;
- a story unpublished or deleted: as a first publish (it leaves all those lists);
- a front (home or section page) published: that page; a section's navigation entry (title,
  slug, a section going live or away, a move) changes every page: `nav`;
- a thread changed (community.services.thread_changed): its comments fragment only;
- a site-wide setting or ad slot saved: `site`, carried by every page.
"""

from __future__ import annotations

from typing import Any

from masthead.caching import keys as surrogate
from masthead.caching.pages import SITE
from masthead.caching.purge import purge


def _correction_notes(story: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (note.pk or 0, note.kind, note.text, str(note.noted_at)) for note in story.corrections.all()
    )


def previous_live(page: Any, revision: Any) -> Any | None:
    """The page as it was live before this publish, or None when it was not live (a first
    publish, or one after an unpublish). Read from the log Wagtail writes after this signal."""
    from wagtail.models import PageLogEntry

    last = (
        PageLogEntry.objects.filter(
            page_id=page.pk, action__in=["wagtail.publish", "wagtail.unpublish"]
        )
        .order_by("-timestamp", "-pk")
        .values_list("action", "revision_id")
        .first()
    )
    if last is None or last[0] != "wagtail.publish" or last[1] is None:
        return None
    if revision is not None and last[1] == revision.pk:
        return None
    from wagtail.models import Revision

    previous = Revision.objects.filter(pk=last[1]).first()
    return previous.as_object() if previous is not None else None


def story_keys(story: Any) -> set[str]:
    """Everything a story's arrival or departure changes."""
    return {
        surrogate.article(story.pk),
        surrogate.FRONT_HOME,
        surrogate.FEEDS,
        *surrogate.membership(story),
    }


def published(sender: type, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    from masthead.newsroom.models import ArticlePage, HomePage, SectionPage

    page = instance
    if not page.live:
        return  # scheduled for later: purged when it goes live
    before = previous_live(page, revision)
    if isinstance(page, ArticlePage):
        if before is None:
            keys = story_keys(page)
            if page.corrections.exists():
                keys.add(surrogate.CORRECTIONS)
        else:
            keys = {surrogate.article(page.pk), surrogate.FEEDS}
            keys |= surrogate.membership(page) ^ surrogate.membership(before)
            if _correction_notes(page) != _correction_notes(before):
                keys.add(surrogate.CORRECTIONS)
        purge(keys)
    elif isinstance(page, SectionPage):
        keys = {surrogate.page(page.pk), surrogate.section(page.pk)}
        if before is None or (before.title, before.slug) != (page.title, page.slug):
            keys.add(surrogate.NAV)
        purge(keys)
    elif isinstance(page, HomePage):
        purge({surrogate.page(page.pk)})
    else:
        purge({surrogate.page(page.pk)})


def unpublished(sender: type, instance: Any, **kwargs: Any) -> None:
    purge(gone_keys(instance))


def gone_keys(page: Any) -> set[str]:
    from masthead.newsroom.models import ArticlePage, SectionPage

    page = page.specific if type(page).__name__ == "Page" else page
    if isinstance(page, ArticlePage):
        keys = story_keys(page)
        if page.corrections.exists():
            keys.add(surrogate.CORRECTIONS)
        return keys
    if isinstance(page, SectionPage):
        return {surrogate.page(page.pk), surrogate.section(page.pk), surrogate.NAV}
    return {surrogate.page(page.pk)}


def moved(sender: type, instance: Any, **kwargs: Any) -> None:
    """A page moved: its URL and its descendants' changed; a story changes section."""
    from masthead.newsroom.models import ArticlePage, SectionPage

    page = instance.specific
    keys = {surrogate.page(page.pk)}
    for parent in (kwargs.get("parent_page_before"), kwargs.get("parent_page_after")):
        if parent is not None:
            keys |= {surrogate.page(parent.pk), surrogate.section(parent.pk)}
    if isinstance(page, ArticlePage):
        keys |= {surrogate.article(page.pk), surrogate.FRONT_HOME, surrogate.FEEDS}
    else:
        stories = ArticlePage.objects.descendant_of(page).values_list("pk", flat=True)
        keys |= {surrogate.article(pk) for pk in stories}
        if isinstance(page, SectionPage):
            keys.add(surrogate.NAV)
    purge(keys)


def deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    if instance.live:
        purge(gone_keys(instance))


def site_changed(sender: type, created: bool = False, **kwargs: Any) -> None:
    from wagtail.contrib.settings.models import BaseSiteSetting

    # A settings row made with its defaults on first use changes nothing readers see.
    if not (created and issubclass(sender, BaseSiteSetting)):
        purge({SITE})


def _story_keys_where(**lookup: Any) -> set[str]:
    """`article-<id>` for every story matching `lookup` (live or not: drafts are not stored)."""
    from masthead.newsroom.models import ArticlePage

    ids = ArticlePage.objects.filter(**lookup).values_list("pk", flat=True)
    return {surrogate.article(pk) for pk in ids}


def author_changed(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A byline's name, job or photo changed: their page and every story they wrote."""
    if not created:
        purge({surrogate.author(instance.slug), *_story_keys_where(bylines__author=instance)})


def agency_changed(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A wire agency's name or copyright line changed: every story it credits."""
    if not created:
        purge(_story_keys_where(wire_agency=instance))


def tag_changed(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A tag renamed: its page and every story that shows it."""
    if not created:
        purge({surrogate.tag(instance.slug), *_story_keys_where(tagged_items__tag=instance)})


def photo_changed(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A photo's credit, caption or crop changed: the stories leading with it or showing it in
    their body (found through Wagtail's reference index). A new upload is in no page yet."""
    if created:
        return
    from wagtail.models import ReferenceIndex

    used_in = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(instance).values_list(
            "object_id", flat=True
        )
        if str(object_id).isdigit()
    }
    keys = _story_keys_where(lead_photo=instance)
    if used_in:
        keys |= _story_keys_where(pk__in=used_in)
    purge(keys)


def restriction_changed(sender: type, **kwargs: Any) -> None:
    """A page made private (or public again) with all its descendants: rare, and a private page
    must never stay stored for everyone, so every page goes."""
    purge({SITE})


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from masthead.newsroom.models import ArticlePage, NewsroomSettings, SectionPage

    page_published.connect(published, dispatch_uid="caching-published")
    page_unpublished.connect(unpublished, dispatch_uid="caching-unpublished")
    post_page_move.connect(moved, dispatch_uid="caching-moved")
    for model in (ArticlePage, SectionPage):
        pre_delete.connect(deleted, sender=model, dispatch_uid=f"caching-deleted-{model.__name__}")

    from taggit.models import Tag
    from wagtail.models import PageViewRestriction, Site

    from masthead.newsroom.models import Author, Photo, WireAgency

    for model, receiver in (
        (Author, author_changed),
        (WireAgency, agency_changed),
        (Tag, tag_changed),
        (Photo, photo_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"caching-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"caching-restriction-{id(signal)}",
        )

    site_wide: list[type] = [NewsroomSettings, Site]
    try:
        from masthead.ads.models import AdSlot, HouseAd
        from masthead.revenue.models import AppealSettings

        site_wide += [AdSlot, HouseAd, AppealSettings]
    except ImportError:  # pragma: no cover - every app ships with Masthead
        pass
    for model in site_wide:
        name = model.__name__
        post_save.connect(site_changed, sender=model, dispatch_uid=f"caching-site-save-{name}")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"caching-site-del-{name}")
