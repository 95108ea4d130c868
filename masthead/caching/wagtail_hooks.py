"""Note which Wagtail page a request serves, so the page cache can mark pages of any type
(the guidelines page…) that do not mark themselves (see masthead.caching.pages)."""

from wagtail import hooks

PAGE = "_masthead_page"


@hooks.register("before_serve_page")
def remember_page(page, request, serve_args, serve_kwargs):  # type: ignore[no-untyped-def]
    setattr(request, PAGE, page)
